// Friendly names for the registration method ids of userRegistrationDetails (graph-data.md §6).
// Unknown ids are shown as they are: the set is open.
const NAMES: Record<string, string> = {
  microsoftAuthenticatorPush: 'Authenticator push',
  microsoftAuthenticatorPasswordless: 'Authenticator passwordless',
  softwareOneTimePasscode: 'Software OATH code',
  hardwareOneTimePasscode: 'Hardware OATH token',
  mobilePhone: 'Mobile phone',
  alternateMobilePhone: 'Alternate mobile phone',
  officePhone: 'Office phone',
  sms: 'SMS',
  email: 'Email',
  password: 'Password',
  fido2: 'FIDO2 key',
  fido2SecurityKey: 'FIDO2 key',
  windowsHelloForBusiness: 'Windows Hello',
  passKeyDeviceBound: 'Passkey (device-bound)',
  passKeyDeviceBoundAuthenticator: 'Passkey in Authenticator',
  passKeyDeviceBoundWindowsHello: 'Passkey in Windows Hello',
  passKeySynced: 'Passkey (synced)',
  temporaryAccessPass: 'Temporary Access Pass',
  securityQuestion: 'Security questions',
  macOsSecureEnclaveKey: 'macOS Secure Enclave key',
  externalAuthMethod: 'External method',
  qrCode: 'QR code',
  push: 'Authenticator push',
  oath: 'OATH code',
  voiceMobile: 'Call to mobile',
  voiceAlternateMobile: 'Call to alternate mobile',
  voiceOffice: 'Call to office phone',
};

export function methodName(id: string): string {
  return NAMES[id] ?? id;
}
