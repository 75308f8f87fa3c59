import { z } from 'zod';
import { serverStatusReport } from '../src/reports/server-status.js';
import { componentName } from '../src/views/onprem-view.js';
import { SERVERS_PAGE_SIZE, serversView } from '../src/views/servers-view.js';
import { defineSubcommand } from './types.js';

export const serversCommand = defineSubcommand({
  name: 'servers',
  usage: 'servers',
  help: 'On-premises MFA Server / NPS / AD FS hosts now (snapshot, no period): version, state, IP, last contact; silent ones flagged',
  examples: ['servers'],
  args: z
    .array(z.string())
    .max(0, { message: 'servers is a snapshot of now and takes no period or other words' })
    .transform(() => ({})),
  async run(_args, { store, now, timeZone, commandText, offset }) {
    const report = await serverStatusReport(store, { now, offset, limit: SERVERS_PAGE_SIZE });
    const page = { commandText, offset, pageSize: SERVERS_PAGE_SIZE, total: report.counts.total };
    return { outcome: 'answered', reply: serversView(report, { page, timeZone }), rowCount: report.counts.total };
  },
  async exportCsv(_args, { store, now }) {
    const report = await serverStatusReport(store, { now, offset: 0, limit: null });
    return {
      filename: 'mfa-servers.csv',
      columns: ['name', 'component', 'version', 'state', 'ip_address', 'last_communication', 'stored_last_communication', 'newest_signin', 'flag', 'listed', 'source'],
      rows: report.servers.map((s) => [
        s.name,
        componentName(s.component),
        s.version,
        s.state,
        s.ipAddress,
        s.lastCommunicationAt,
        s.storedLastCommunicationAt,
        s.newestSigninAt,
        s.flag,
        s.listed,
        s.source,
      ]),
    };
  },
});
