// "Show sign-ins" on an alert card: the user's recent sign-ins, shown only to the admin who asked.
import type { KnownBlock } from '@slack/types';
import { formatLocalDateTime } from '../time/zoned.js';
import { context, escapeMrkdwn, header, reply, section, type Reply } from '../views/blocks.js';
import { placeWords, signinOutcomeWords } from './alert-card.js';
import type { RecentSignin } from './alert-facts.js';

export const SIGNINS_SHOWN = 15;

export function signinsReply(upn: string, signins: RecentSignin[], timeZone: string): Reply {
  const title = `Recent sign-ins of ${upn}`;
  const blocks: KnownBlock[] = [header(title)];
  if (signins.length === 0) {
    blocks.push(section('No sign-ins in the store for this user in the last 7 days.'));
  } else {
    const lines = signins.map((s) => {
      const method = s.mfaMethod ? ` · ${escapeMrkdwn(s.mfaMethod)}` : '';
      return `• *${formatLocalDateTime(s.at, timeZone)}* · ${escapeMrkdwn(s.app ?? 'unknown app')} · ${escapeMrkdwn(signinOutcomeWords(s))}${method} · ${escapeMrkdwn(placeWords(s.ipAddress, s.city, s.countryOrRegion))}`;
    });
    blocks.push(section(lines.join('\n')));
  }
  blocks.push(context(`Newest first, at most ${SIGNINS_SHOWN}, from the last 7 days · times in ${timeZone}`));
  return reply(`${title}: ${signins.length} shown`, blocks);
}
