// One-line replies that are not reports: refusals and failures. They never carry data.
import { reply, section, type Reply } from './blocks.js';

export const notice = {
  refused(adminHint: string): Reply {
    const text = `Sorry, /mfa answers only MFA administrators. ${adminHint}`;
    return reply(text, [section(text)]);
  },
  storeUnavailable(): Reply {
    const text = 'The report store is unavailable right now; try again in a minute.';
    return reply(text, [section(`:warning: ${text}`)]);
  },
  timedOut(seconds: number): Reply {
    const text = `This report took longer than ${seconds} s on the report store, so it was stopped. Try a shorter period (e.g. \`7d\`), or try again later.`;
    return reply(text, [section(`:warning: ${text}`)]);
  },
  failed(): Reply {
    const text = 'Something went wrong answering that. It has been logged; try again, or ask an admin to check the bot\'s logs.';
    return reply(text, [section(`:warning: ${text}`)]);
  },
  tooLong(length: number, max: number): Reply {
    const text = `That command is ${length.toLocaleString('en-US')} characters long; /mfa commands are short (at most ${max}), e.g. \`/mfa summary 7d\`.`;
    return reply(text, [section(text)]);
  },
  busy(): Reply {
    const text = 'I am answering a lot of questions right now; try again in a few seconds.';
    return reply(text, [section(`:hourglass: ${text}`)]);
  },
  working(): Reply {
    return reply('Working on it…', [section(':hourglass_flowing_sand: Working on it…')]);
  },
};
