import { describe, expect, it } from 'vitest';

import { mrkdwnToText, renderMessageAsText } from '../../src/views/render-text.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });

describe('mrkdwnToText', () => {
  it('drops bold asterisks, keeps italics, strike and code', () => {
    expect(mrkdwnToText('*82%* registered, _trend_ ~old~ `code`')).toBe('82% registered, _trend_ ~old~ `code`');
  });

  it('leaves lone asterisks and arithmetic alone', () => {
    expect(mrkdwnToText('2 * 3 * 4 and a*b*c')).toBe('2 * 3 * 4 and a*b*c');
  });

  it('renders links, mentions and special mentions', () => {
    expect(mrkdwnToText('See <https://aka.ms/mfa|the guide>, <https://example.com>, <mailto:a@b.c|a@b.c>')).toBe(
      'See the guide (https://aka.ms/mfa), https://example.com, a@b.c',
    );
    expect(mrkdwnToText('<@U123> <@U456|ada> <#C1|mfa-admins> <#C2> <!here> <!subteam^S1|@admins> <!subteam^S2>')).toBe(
      '@U123 @ada #mfa-admins #C2 @here @admins @S2',
    );
    expect(mrkdwnToText('<!date^1392734382^{date_num}|2014-02-18>')).toBe('2014-02-18');
  });

  it('decodes the three escaped entities once, after links', () => {
    expect(mrkdwnToText('a &amp; b &lt;c&gt; &amp;lt;')).toBe('a & b <c> &lt;');
    expect(mrkdwnToText('<https://x.test/?a=1&amp;b=2|q &amp; a>')).toBe('q & a (https://x.test/?a=1&b=2)');
  });

  it('adds ANSI bold only when asked', () => {
    expect(mrkdwnToText('*b*', { color: true })).toBe('\x1b[1mb\x1b[22m');
  });
});

describe('renderMessageAsText', () => {
  it('falls back to text when there are no blocks', () => {
    expect(renderMessageAsText({ text: '*Working…* <@U1>' })).toBe('Working… @U1');
    expect(renderMessageAsText({ text: 'x', blocks: [] })).toBe('x');
    expect(renderMessageAsText({})).toBe('');
  });

  it('prefers blocks over text and ignores unknown blocks', () => {
    expect(
      renderMessageAsText({
        text: 'fallback',
        blocks: [{ type: 'mystery' }, null, 'junk', { type: 'section', text: mrkdwn('from blocks') }],
      }),
    ).toBe('from blocks');
    expect(renderMessageAsText({ text: 'fallback', blocks: [{ type: 'mystery' }] })).toBe('fallback');
  });

  it('underlines headers with =', () => {
    expect(renderMessageAsText({ blocks: [{ type: 'header', text: plain('MFA summary') }] })).toBe(
      'MFA summary\n===========',
    );
  });

  it('renders a summary message readably', () => {
    const text = renderMessageAsText({
      text: 'MFA summary',
      blocks: [
        { type: 'header', text: plain('MFA summary — last 7 days') },
        { type: 'section', text: mrkdwn('*1,234* of 1,500 users registered (82%) &amp; rising') },
        {
          type: 'section',
          fields: [mrkdwn('*Authenticator app*\n812'), mrkdwn('*SMS*\n301'), mrkdwn('*FIDO2*\n44')],
        },
        { type: 'divider' },
        { type: 'context', elements: [mrkdwn('Generated 08:00 UTC'), plain('Source: Microsoft Graph')] },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: plain('Refresh'), action_id: 'refresh' },
            { type: 'button', text: plain('Export CSV'), action_id: 'export', style: 'primary' },
          ],
        },
        { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'registrations chart' },
      ],
    });

    expect(text).toBe(
      [
        'MFA summary — last 7 days',
        '=========================',
        '1,234 of 1,500 users registered (82%) & rising',
        'Authenticator app                        SMS',
        '812                                      301',
        'FIDO2',
        '44',
        '─'.repeat(40),
        '  Generated 08:00 UTC · Source: Microsoft Graph',
        '[Refresh] [Export CSV]',
        '[image: registrations chart]',
      ].join('\n'),
    );
    expect(text).not.toContain('\x1b[');
    expect(text).not.toContain('*');
  });

  it('wraps long text to 80 columns and wraps fields inside their column', () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const out = renderMessageAsText({
      blocks: [
        { type: 'section', text: mrkdwn(long) },
        { type: 'section', fields: [plain('left'), plain(long)] },
      ],
    });
    const lines = out.split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('word29');
    // every continuation line of the right column starts at the column offset
    const fieldLines = lines.slice(lines.findIndex((l) => l.startsWith('left')));
    for (const line of fieldLines.slice(1)) expect(line).toMatch(/^ {41}\S/);
  });

  it('renders section accessories and select elements', () => {
    expect(
      renderMessageAsText({
        blocks: [
          { type: 'section', text: mrkdwn('Alert 42'), accessory: { type: 'button', text: plain('Approve'), action_id: 'a' } },
          { type: 'section', text: mrkdwn('Chart'), accessory: { type: 'image', image_url: 'https://x/y.png', alt_text: 'tiny' } },
          {
            type: 'actions',
            elements: [
              { type: 'static_select', placeholder: plain('Window'), action_id: 's', options: [] },
              { type: 'overflow', action_id: 'o', options: [] },
            ],
          },
        ],
      }),
    ).toBe('Alert 42\n[Approve]\nChart\n[image: tiny]\n[Window ▾] [⋯]');
  });

  it('renders rich_text sections, lists, code and quotes', () => {
    const out = renderMessageAsText({
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Hi ', style: { bold: true } },
                { type: 'user', user_id: 'U1' },
                { type: 'text', text: ', see ' },
                { type: 'link', url: 'https://aka.ms/mfa', text: 'guide' },
                { type: 'text', text: ' ' },
                { type: 'emoji', name: 'white_check_mark' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [
                { type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] },
                { type: 'rich_text_section', elements: [{ type: 'text', text: 'two' }] },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'ordered',
              indent: 1,
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'first' }] }],
            },
            { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'Get-MgUser\n-All' }] },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
          ],
        },
      ],
    });
    expect(out).toBe(
      [
        'Hi @U1, see guide (https://aka.ms/mfa) :white_check_mark:',
        '• one',
        '• two',
        '  1. first',
        '    Get-MgUser',
        '    -All',
        '> quoted',
      ].join('\n'),
    );
  });

  it('renders table blocks with numbers right-aligned', () => {
    const out = renderMessageAsText({
      blocks: [
        {
          type: 'table',
          rows: [
            [{ type: 'raw_text', text: 'Method' }, { type: 'raw_text', text: 'Users' }],
            [{ type: 'raw_text', text: 'Authenticator' }, { type: 'raw_number', value: 812, text: '812' }],
          ],
        },
      ],
    });
    expect(out).toBe('Method         Users\nAuthenticator    812');
  });

  it('adds ANSI styling with color: true', () => {
    const out = renderMessageAsText(
      {
        blocks: [
          { type: 'header', text: plain('Title') },
          { type: 'context', elements: [mrkdwn('small print')] },
        ],
      },
      { color: true },
    );
    expect(out).toBe('\x1b[1mTitle\x1b[22m\n=====\n  \x1b[2msmall print\x1b[22m');
  });

  it('renders legacy attachments with a bar', () => {
    expect(
      renderMessageAsText({ text: 'Alert', attachments: [{ color: '#f00', title: 'Risky sign-in', text: 'User *ada*' }] }),
    ).toBe('Alert\n│ Risky sign-in\n│ User ada');
  });
});
