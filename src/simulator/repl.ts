// The simulator's prompt: type `/mfa summary 7d`, read the reply as text.
import { createInterface } from 'node:readline';
import type { Simulator } from './simulator.js';

const BANNER = `mfa-bot local simulator: Slack is simulated on this machine; nothing leaves it.
Type a command such as /mfa summary 7d or /mfa help (the /mfa is optional).
"home" opens the bot's Home tab; "as U0123ABCD /mfa summary" asks as another Slack user; "exit" quits.
`;

export async function runRepl(simulator: Simulator, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  output.write(BANNER);
  const lines = createInterface({ input, output, terminal: Boolean((input as { isTTY?: boolean }).isTTY), prompt: '\nmfa> ' });
  lines.prompt();
  // Lines are answered one at a time, in order, even when pasted together.
  for await (const raw of lines) {
    const line = raw.trim();
    if (/^(exit|quit|\.exit)$/i.test(line)) break;
    if (line) {
      try {
        output.write(`${await simulator.ask(line)}\n`);
      } catch (error) {
        output.write(`Could not get an answer: ${(error as Error).message}\n`);
      }
    }
    lines.prompt();
  }
  lines.close();
}
