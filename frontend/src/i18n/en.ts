import type zh from './zh-CN'

const en: typeof zh = {
  app: { title: 'Fuzhi Event Desk', subtitle: 'Research achievements for SMEs · Deep-dive events' },
  nav: { overview: 'Overview', desk: 'Check-in desk', dashboard: 'Arrivals', match: 'Matchmaking', participants: 'Participants', catalog: 'Achievements & demands', events: 'Events' },
  lang: { switch: '中文' },
  role: {
    sme: 'SME', university: 'University', institute: 'Institute', enterprise: 'Large enterprise',
    investor: 'Investor / bank', service: 'Service org', government: 'Government', media: 'Media', '': 'Unclassified',
  },
  format: { forum: 'Opening forum', roadshow: 'Roadshow', matchmaking: 'Matchmaking', exhibition: 'Exhibition', industry_finance: 'Industry–finance' },
  event: {
    none: 'No event open', demo: 'Demo', create: 'New event', open: 'Open', openDemo: 'Open demo event', close: 'Close event',
    recent: 'Recent events', recentEmpty: 'No events opened yet', missing: 'File no longer exists', backup: 'Back up',
    backupDone: 'Backed up to {path}', name: 'Event name', startDate: 'Start date', endDate: 'End date', venue: 'Venue',
    province: 'Province', city: 'City', organizer: 'Organizer', chains: 'Industry chains', formats: 'Formats', path: 'File',
    rotateKey: 'Reset badge key', rotateTitle: 'Reset the badge key (lost or leaked)', rotateWarn: 'Every printed badge will stop checking in and must be reprinted. Type the full event name to confirm:', rotated: 'Badge key reset; reprint every badge',
    openPath: 'Open by file path', created: 'Event created', save: 'Save', chainsHint: 'Type and press Enter; several allowed',
  },
  overview: {
    participants: 'Participants', orgs: 'Organizations', achievements: 'Achievements', demands: 'Demands', byRole: 'By role',
    file: 'Event file', station: 'Station', dates: 'Dates',
  },
  roster: {
    search: 'Search name, organization, mobile or e-mail', allRoles: 'All roles', add: 'Add participant', import: 'Import registrations', export: 'Export Excel',
    exportUnmasked: 'Export (full mobiles)', total: '{n} people', edit: 'Edit', delete: 'Delete', deleteConfirm: 'Delete {name}? The change is kept in the log.',
    deleted: 'Deleted', saved: 'Saved', name: 'Name', org: 'Organization', title: 'Title', mobile: 'Mobile', email: 'E-mail', role: 'Role',
    creditCode: 'Credit code', chain: 'Industry chain', note: 'Note', consent: 'Agrees to share contact with the national platform', actions: 'Actions', empty: 'No matching participants',
  },
  import: {
    title: 'Import registrations', pick: 'Choose a CSV or Excel file', hint: 'UTF-8, GBK (Chinese Excel CSV) and .xlsx; importing the same person again updates them.',
    mapping: 'Check the column mapping', column: 'Column in file', field: 'Field', ignore: '(skip)', sample: 'Sample', detected: '{format}, {encoding}, {rows} data rows (header on row {header})',
    run: 'Import', again: 'Import another file', done: 'Import finished', imported: 'Added', updated: 'Updated', unchanged: 'Unchanged', rejected: 'Not imported',
    duplicates: 'Repeated in file', row: 'Row', reason: 'Reason', unknownRoles: 'Role not recognised on these rows; imported without a role', noIssues: 'Every row was imported',
    reasons: { 'missing name': 'Missing name', 'invalid mobile': 'Invalid mobile', 'bad credit code': 'Bad credit-code checksum', 'invalid email': 'Invalid e-mail', 'duplicate in file': 'Repeated in file' },
    fields: { name: 'Name', org: 'Organization', title: 'Title', mobile: 'Mobile', email: 'E-mail', role: 'Role', creditCode: 'Credit code', chain: 'Industry chain', note: 'Note', consent: 'Consent' },
  },
  catalog: {
    achievements: 'Achievements', demands: 'Demands', title: 'Title', owner: 'Owner', chain: 'Chain', trl: 'TRL', patents: 'Patents', modes: 'Transfer modes',
    price: 'Asking (10k CNY)', sme: 'SME', budget: 'Budget (10k CNY)', challenge: 'Challenge',
    importA: 'Import achievements', importD: 'Import demands', imported: '{rows} rows: {imported} added, {updated} updated, {linked} linked to participants, {rejected} not imported',
    recommend: 'Recommend', why: 'Why', sameChain: 'Same chain', request: 'Request a meeting', requested: 'Request created; confirm it under Matchmaking',
    modeNames: { assignment: 'Assignment', license: 'License', equity: 'Equity', joint_dev: 'Joint development', service: 'Tech service' },
  },
  desk: {
    title: 'Check-in desk', deskNo: 'Desk no.', scanHint: 'Scan a badge, or type a name / pinyin / initials / phone tail / organization',
    undo: 'Undo last check-in', undone: 'Check-in of {name} undone', walkIn: 'Walk-in', camera: 'Scan with camera', checkIn: 'Check in',
    badge: 'Print badge', checkedIn: 'In at {at} · desk {desk}', notIn: 'Not in', noHits: 'No matching participant', layout: 'Badge layout',
    walkInTitle: 'Walk-in (register + check in + badge)', walkInDone: 'Registered and checked in; badge ready', saved: 'Saved to {path}',
    cameraFail: 'No QR code found in the photo; try closer', ready: 'Ready to scan', idle: 'Waiting for a scan…',
    results: { ok: 'Checked in', duplicate: 'Already checked in', revoked: 'Badge revoked', forged: 'Invalid badge', foreign: 'Badge of another event', unknown: 'Not on the list', malformed: 'Unreadable' },
  },
  dash: {
    title: 'Arrivals', arrived: 'Arrived', expected: 'Expected', rate: 'Turnout', walkIns: 'Walk-ins', repeats: 'Repeat scans', byRole: 'By role',
    byQuarter: 'Arrivals per 15 minutes', byDesk: 'By desk', recent: 'Just arrived', fullscreen: 'Full screen', updated: 'Updated {t}',
  },
  badges: {
    print: 'Print badges', all: 'Everyone', unprinted: 'Not yet printed', filtered: 'Current role filter', one: 'Badge', reprint: 'Reprint (old badge revoked)',
    reprintConfirm: 'Reprint a badge for {name}? The old badge will no longer check in.', done: 'Badges ready',
  },
  match: {
    setup: 'Session setup', start: 'Start', minutes: 'Minutes each', slots: 'Slots', breakAfter: 'Break after slot', tables: 'Tables', maxMeetings: 'Max meetings each', save: 'Save setup',
    requests: 'Meeting requests', newRequest: 'New request', from: 'From', to: 'To', priority: 'Priority', status: 'Status', topic: 'Topic', accept: 'Accept', decline: 'Decline', mutual: 'Mutual',
    priorities: { must: 'Must', want: 'Want', could: 'Could' }, statuses: { requested: 'Requested', accepted: 'Accepted', declined: 'Declined', expired: 'Expired' },
    scheduleAll: 'Schedule all', publish: 'Publish', draft: 'Draft: {meetings} meetings, weight {weight} (greedy {greedy}), {covered}/{wanting} people with a meeting, {sec} s',
    published: '{n} meetings published', grid: 'Tables × slots', conflict: 'Conflict', lock: 'Lock', unlock: 'Unlock', held: 'Held', noShow: 'No-show', replace: 'Re-place', cancel: 'Cancel',
    outcome: 'Outcome', result: 'Result', intended: 'Intends to cooperate', mode: 'Transfer mode', signed: 'Signed', amount: 'Amount (10k CNY)', followUp: 'Follow-up', nextStep: 'Next step', notes: 'Notes',
    results: { not_held: 'Not held', no_interest: 'No interest', no_plan: 'No cooperation planned', possible: 'Cooperation possible', agreement: 'Agreement reached' },
    fillGap: 'Fill the gap for {name}', spontaneous: 'Add a spontaneous meeting', slot: 'Slot', table: 'Table',
    over: 'Session over · last slot',
    agendas: 'Print all agendas', tents: 'Print table tents', board: 'Hall board', now: 'Now', next: 'Next', left: 'left',
    empty: 'No schedule published yet', dropHint: 'Drag a meeting to another cell to move it', searchPerson: "See someone's day",
  },
  common: { fileReady: 'File ready', cancel: 'Cancel', confirm: 'OK', loading: 'Loading…', error: 'Error', retry: 'Retry' },
}
export default en
