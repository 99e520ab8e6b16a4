import type { Locale } from '../../../config/index.js';

/**
 * What the Slack adapter tells moderators where Slack cannot do what the engine decided
 * (apps cannot time out, ban or stop joins). Written in the engine's markdown subset;
 * variables are already safe markup (mentions) or escaped later with the rest of the text.
 */
const NOTICES = {
  en: {
    timeout: '🛑 **Timeout needed** for <@{member}> ({duration}): {reason}\nSlack has no timeouts for apps. A workspace admin can restrict or deactivate the account; the case is recorded and the ladder counts it.',
    untimeout: '<@{member}>\'s timeout is lifted: {reason}\nOn Slack there was nothing to undo unless an admin restricted the account.',
    ban: '🛑 **Ban needed** for <@{member}>: {reason}\nSlack does not let apps ban. A workspace admin should deactivate the account (Admin → Manage members).',
    unban: '<@{member}> is unbanned: {reason}\nIf an admin deactivated the account, they can reactivate it (Admin → Manage members).',
    kick: '<@{member}> was removed from {count} channel(s): {reason}\nSlack does not let apps remove anyone from the workspace; a workspace admin can deactivate the account.',
    restrictSlow: '⚠️ **Possible raid**: {reason}\nSlack does not let apps slow down joining. A workspace admin can limit who may invite people (Admin → Settings → Permissions).',
    restrictLock: '⚠️ **Raid**: {reason}\nSlack does not let apps pause joining. A workspace admin can turn off invitations and invite links now (Admin → Settings → Permissions).',
    viewMessage: 'View the message',
  },
  id: {
    timeout: '🛑 **Perlu timeout** untuk <@{member}> ({duration}): {reason}\nSlack tidak punya timeout untuk aplikasi. Admin workspace dapat membatasi atau menonaktifkan akunnya; kasusnya tercatat dan dihitung oleh tangga sanksi.',
    untimeout: 'Timeout <@{member}> dicabut: {reason}\nDi Slack tidak ada yang perlu dibatalkan kecuali admin membatasi akunnya.',
    ban: '🛑 **Perlu ban** untuk <@{member}>: {reason}\nSlack tidak mengizinkan aplikasi mem-ban. Admin workspace sebaiknya menonaktifkan akunnya (Admin → Manage members).',
    unban: 'Ban <@{member}> dicabut: {reason}\nJika admin menonaktifkan akunnya, admin dapat mengaktifkannya kembali (Admin → Manage members).',
    kick: '<@{member}> dikeluarkan dari {count} channel: {reason}\nSlack tidak mengizinkan aplikasi mengeluarkan orang dari workspace; admin workspace dapat menonaktifkan akunnya.',
    restrictSlow: '⚠️ **Kemungkinan serbuan**: {reason}\nSlack tidak mengizinkan aplikasi memperlambat anggota baru. Admin workspace dapat membatasi siapa yang boleh mengundang (Admin → Settings → Permissions).',
    restrictLock: '⚠️ **Serbuan**: {reason}\nSlack tidak mengizinkan aplikasi menghentikan anggota baru. Admin workspace dapat mematikan undangan dan tautan undangan sekarang (Admin → Settings → Permissions).',
    viewMessage: 'Lihat pesannya',
  },
} satisfies Record<Locale, Record<string, string>>;

export type NoticeKey = keyof (typeof NOTICES)['en'];

export function notice(locale: Locale, key: NoticeKey, variables: Record<string, string | number> = {}): string {
  return NOTICES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in variables ? String(variables[name]) : whole));
}
