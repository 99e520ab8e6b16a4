import { z } from 'zod';
import { parseDuration } from '../core/duration.js';

/**
 * Every command the engine answers, once: the Discord application commands, the Slack
 * manifest's slash commands, Slack's text parsing and the shell's /commands come from here.
 * tests/commands/definitions-engine.test.ts checks that the engine and this list agree.
 */

/** A text in each of the bot's locales (src/i18n): at most 100 characters, Discord's limit for descriptions. */
export const LocalizedTextSchema = z.strictObject({ en: z.string().min(1).max(100), id: z.string().min(1).max(100) });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Discord's rule for command, subcommand and option names, kept to lower case as the engine's contract wants. */
const nameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a lower-case name of at most 32 letters, digits, - or _');

export const OptionKindSchema = z.enum(['string', 'integer', 'number', 'boolean', 'member', 'channel']);
export type OptionKind = z.infer<typeof OptionKindSchema>;

/** Who a command is meant for; the engine enforces it with the community's `roles` (moderator, manager). */
export const AccessSchema = z.enum(['everyone', 'moderator', 'manager']);
export type Access = z.infer<typeof AccessSchema>;

export type OptionValue = string | number | boolean;

const ChoiceSchema = z.strictObject({ value: z.string().min(1).max(100), label: LocalizedTextSchema });

export const OptionDefinitionSchema = z.strictObject({
  name: nameSchema,
  description: LocalizedTextSchema,
  kind: OptionKindSchema,
  required: z.boolean().default(false),
  /** The fixed values the handler accepts, shown as a pick list on Discord. */
  choices: z.array(ChoiceSchema).min(1).max(25).optional(),
  /**
   * Typed text reaches this option only as `key:value`: the handler reads it by name and does
   * not take it by position from the free text (the poll's choices, flags and closing time).
   */
  named: z.boolean().default(false),
  /** Validates a value typed as `key:value` (Slack, the shell); its bounds become Discord's min/max. */
  schema: z.custom<z.ZodType<OptionValue>>((value) => value instanceof z.ZodType, 'a zod schema'),
});
export type OptionDefinition = z.infer<typeof OptionDefinitionSchema>;

const optionsSchema = z
  .array(OptionDefinitionSchema)
  .max(25)
  .default([])
  .refine((options) => new Set(options.map((o) => o.name)).size === options.length, 'option names must be unique')
  .refine((options) => options.every((o, i) => o.required || options.slice(i).every((later) => !later.required)), 'required options come before optional ones');

export const SubcommandDefinitionSchema = z.strictObject({
  name: nameSchema,
  description: LocalizedTextSchema,
  options: optionsSchema,
  /**
   * The engine takes this subcommand only as the parent's free text (`feedback` with
   * "show FB-3"), not as a command of its own; engineInvocation rewrites it.
   */
  viaParentText: z.boolean().default(false),
});
export type SubcommandDefinition = z.infer<typeof SubcommandDefinitionSchema>;

export const CommandDefinitionSchema = z
  .strictObject({
    name: nameSchema,
    description: LocalizedTextSchema,
    access: AccessSchema,
    /** The command's own options, when it is used without a subcommand. */
    options: optionsSchema,
    subcommands: z.array(SubcommandDefinitionSchema).max(25).default([]),
    /**
     * Discord cannot mix a command's own options with subcommands, so a command with both is
     * registered with its plain form as this subcommand (`/poll create`); engineInvocation maps
     * it back to the plain command.
     */
    plainSubcommand: z.strictObject({ name: nameSchema, description: LocalizedTextSchema }).optional(),
    /** The Slack slash name where the command's own name is one of Slack's built-in commands. */
    slackName: nameSchema.optional(),
  })
  .refine((c) => !(c.options.length && c.subcommands.length) || c.plainSubcommand, { message: 'a command with options and subcommands needs a plainSubcommand name for Discord' })
  .refine((c) => !c.plainSubcommand || !c.subcommands.some((s) => s.name === c.plainSubcommand!.name), { message: 'plainSubcommand clashes with a subcommand' });
export type CommandDefinition = z.infer<typeof CommandDefinitionSchema>;

const text = (en: string, id: string): LocalizedText => ({ en, id });

const memberSchema = z.string().trim().min(1, 'a member');
const reasonSchema = z.string().trim().min(1).max(1000);
const durationSchema = z.string().refine((value) => parseDuration(value) !== undefined, 'a duration such as 30m, 2h or 3d');
const positiveInteger = z.number().int().min(1);

type OptionInput = z.input<typeof OptionDefinitionSchema>;
const option = (name: string, kind: OptionKind, description: LocalizedText, schema: z.ZodType<OptionValue>, extra: Partial<OptionInput> = {}): OptionInput => ({
  name,
  kind,
  description,
  schema,
  ...extra,
});
const required = { required: true };
const choicesOf = (...choices: [string, string, string][]) => ({ choices: choices.map(([value, en, id]) => ({ value, label: text(en, id) })) });
const oneOf = (values: string[]) => z.string().refine((value) => values.includes(value.toLowerCase()), `one of ${values.join(', ')}`);

const memberOption = (en: string, id: string, extra: Partial<OptionInput> = {}) => option('member', 'member', text(en, id), memberSchema, extra);
const reasonOption = option('reason', 'string', text('Why (shown in the case and to the member)', 'Alasannya (tercatat di kasus dan dikirim ke anggota)'), reasonSchema);

const sanction = (name: string, en: string, id: string, target: [string, string]): z.input<typeof CommandDefinitionSchema> => ({
  name,
  description: text(en, id),
  access: 'moderator',
  options: [memberOption(target[0], target[1], required), reasonOption],
});

const feedbackStatuses = ['open', 'planned', 'in-progress', 'done', 'declined'];
const pollNumberOption = option('poll', 'integer', text('The poll number', 'Nomor jajak pendapat'), positiveInteger, required);
const feedbackRefOption = option('ref', 'string', text('The feedback reference, such as FB-12', 'Rujukan masukan, misalnya FB-12'), z.string().regex(/^\s*(?:fb-?|#)?\d{1,9}\s*$/i, 'a reference such as FB-12'), required);

const definitions: z.input<typeof CommandDefinitionSchema>[] = [
  // Moderation (src/engine/moderation/commands.ts)
  sanction('warn', 'Warn a member (a case worth points on the ladder)', 'Beri peringatan kepada anggota (kasus dengan poin)', ['The member to warn', 'Anggota yang diperingatkan']),
  {
    name: 'timeout',
    description: text('Time a member out for a while', 'Bisukan anggota untuk sementara'),
    access: 'moderator',
    options: [
      memberOption('The member to time out', 'Anggota yang dibisukan', required),
      option('duration', 'string', text('How long: 30s to 28d (10m, 2h, 1d)', 'Berapa lama: 30s sampai 28d (10m, 2h, 1d)'), durationSchema, required),
      reasonOption,
    ],
  },
  sanction('untimeout', "Lift a member's timeout", 'Cabut pembisuan anggota', ['The member whose timeout ends', 'Anggota yang pembisuannya dicabut']),
  // Slack's own /kick removes someone from a channel.
  { ...sanction('kick', 'Kick a member out of the community', 'Keluarkan anggota dari komunitas', ['The member to kick', 'Anggota yang dikeluarkan']), slackName: 'mod-kick' },
  sanction('ban', 'Ban a member from the community', 'Larang anggota dari komunitas', ['The member to ban', 'Anggota yang dilarang']),
  sanction('unban', "Lift a member's ban", 'Cabut larangan anggota', ['The member to unban', 'Anggota yang larangannya dicabut']),
  {
    name: 'purge',
    description: text('Delete the last messages of this channel', 'Hapus pesan-pesan terakhir di kanal ini'),
    access: 'moderator',
    options: [
      option('count', 'integer', text('How many messages', 'Berapa pesan'), positiveInteger.max(1000), required),
      memberOption('Only messages of this member', 'Hanya pesan dari anggota ini'),
    ],
  },
  {
    name: 'infractions',
    description: text("A member's cases and active points, or the latest cases", 'Kasus dan poin aktif anggota, atau kasus terbaru'),
    access: 'moderator',
    options: [memberOption('The member (default: everyone with points)', 'Anggotanya (bawaan: semua yang punya poin)')],
  },
  {
    name: 'case',
    description: text('Show one moderation case in full', 'Tampilkan satu kasus moderasi selengkapnya'),
    access: 'moderator',
    options: [option('number', 'integer', text('The case number', 'Nomor kasus'), positiveInteger, required)],
  },
  {
    name: 'pardon',
    description: text("Remove a case's points (the case stays in the history)", 'Hapus poin sebuah kasus (kasusnya tetap tercatat)'),
    access: 'moderator',
    options: [option('case', 'integer', text('The case number', 'Nomor kasus'), positiveInteger, required), reasonOption],
  },
  {
    name: 'automod',
    description: text('Automatic moderation tools', 'Alat moderasi otomatis'),
    access: 'moderator',
    subcommands: [
      {
        name: 'test',
        description: text('Which automod rules would fire on a text', 'Aturan automod mana yang akan terpicu oleh sebuah teks'),
        options: [option('content', 'string', text('The text to judge', 'Teks yang dinilai'), z.string().min(1).max(2000), required)],
      },
    ],
  },
  // Polls (src/engine/polls/commands.ts)
  {
    name: 'poll',
    description: text('Polls: create one, close one, see results', 'Jajak pendapat: buat, tutup, lihat hasil'),
    access: 'everyone',
    plainSubcommand: { name: 'create', description: text('Create a poll with buttons to vote', 'Buat jajak pendapat dengan tombol untuk memilih') },
    options: [
      option('question', 'string', text('The question', 'Pertanyaannya'), z.string().trim().min(1).max(300), required),
      option('choices', 'string', text('2 to 10 choices separated by ; (yes; no; maybe)', '2 sampai 10 pilihan dipisah ; (ya; tidak; mungkin)'), z.string().includes(';', { message: 'choices separated by ;' }), { ...required, named: true }),
      option('multi', 'boolean', text('Allow several choices per member', 'Boleh memilih lebih dari satu'), z.boolean(), { named: true }),
      option('anonymous', 'boolean', text('Hide who voted for what', 'Sembunyikan siapa memilih apa'), z.boolean(), { named: true }),
      option('duration', 'string', text('Closes after (30m, 2h, 3d)', 'Ditutup setelah (30m, 2h, 3d)'), durationSchema, { named: true }),
      option('closes', 'string', text('Closes at a time (2026-11-30 17:00, local time)', 'Ditutup pada waktu tertentu (2026-11-30 17:00, waktu setempat)'), z.string().min(1), { named: true }),
      option('results', 'string', text('Show the tally while voting, or only at the close', 'Tampilkan hasil selama pemungutan, atau hanya saat ditutup'), oneOf(['live', 'close']), { named: true, ...choicesOf(['live', 'While voting', 'Selama pemungutan'], ['close', 'When it closes', 'Saat ditutup']) }),
    ],
    subcommands: [
      { name: 'close', description: text('Close a poll now (its author or a moderator)', 'Tutup jajak pendapat sekarang (pembuatnya atau moderator)'), options: [pollNumberOption] },
      { name: 'results', description: text("A poll's results now", 'Hasil jajak pendapat saat ini'), options: [pollNumberOption] },
    ],
  },
  // Feedback (src/engine/feedback/handlers.ts)
  {
    name: 'feedback',
    description: text('Send feedback to the team, or follow it up', 'Kirim masukan kepada tim, atau tindak lanjuti'),
    access: 'everyone',
    // Slack's own /feedback sends feedback to Slack.
    slackName: 'guyub-feedback',
    plainSubcommand: { name: 'send', description: text('Send feedback to the team that owns its category', 'Kirim masukan kepada tim pemilik kategorinya') },
    options: [
      option('category', 'string', text("The category (the community's list, such as bug or idea)", 'Kategorinya (daftar komunitas, misalnya bug atau idea)'), z.string().trim().min(1).max(100), required),
      option('text', 'string', text('Your feedback', 'Masukan Anda'), z.string().trim().min(1).max(4000), required),
    ],
    subcommands: [
      {
        name: 'status',
        description: text("Set a feedback item's status (its team)", 'Ubah status masukan (timnya)'),
        options: [
          feedbackRefOption,
          option('status', 'string', text('The new status', 'Status baru'), oneOf([...feedbackStatuses, 'in_progress', 'inprogress', 'progress', 'reopen']), {
            ...required,
            choices: choicesOf(['open', 'Open', 'Terbuka'], ['planned', 'Planned', 'Direncanakan'], ['in-progress', 'In progress', 'Sedang dikerjakan'], ['done', 'Done', 'Selesai'], ['declined', 'Declined', 'Ditolak']).choices,
          }),
          option('note', 'string', text('A note for the submitter', 'Catatan untuk pengirim'), z.string().trim().min(1).max(1000)),
        ],
      },
      {
        name: 'top',
        description: text('The most supported open feedback', 'Masukan terbuka dengan dukungan terbanyak'),
        options: [option('category', 'string', text('Only this category', 'Hanya kategori ini'), z.string().trim().min(1).max(100))],
      },
      { name: 'show', description: text('One feedback item in full', 'Satu masukan selengkapnya'), options: [feedbackRefOption], viaParentText: true },
    ],
  },
  // Questions (src/engine/questions/commands.ts)
  {
    name: 'questions',
    description: text('Questions still waiting for an answer', 'Pertanyaan yang masih menunggu jawaban'),
    access: 'everyone',
    options: [
      option('filter', 'string', text('Which questions', 'Pertanyaan yang mana'), oneOf(['open', 'escalated', 'mine']), choicesOf(['open', 'Open', 'Terbuka'], ['escalated', 'Escalated', 'Dieskalasi'], ['mine', 'Mine', 'Milik saya'])),
    ],
  },
  {
    name: 'resolve',
    description: text('Mark a question as resolved', 'Tandai pertanyaan sebagai terjawab'),
    access: 'everyone',
    options: [option('message', 'string', text("The question's message id (default: your latest here)", 'Id pesan pertanyaan (bawaan: pertanyaan terakhir Anda di sini)'), z.string().trim().min(1))],
  },
  {
    name: 'assign',
    description: text('Assign a question to a helper (moderators and teams)', 'Serahkan pertanyaan kepada seorang penolong (moderator dan tim)'),
    access: 'everyone',
    options: [
      memberOption('The helper', 'Penolongnya', required),
      option('message', 'string', text("The question's message id (default: the latest here)", 'Id pesan pertanyaan (bawaan: yang terakhir di sini)'), z.string().trim().min(1)),
    ],
  },
  // Engagement (src/engine/engagement/index.ts)
  {
    name: 'rank',
    description: text('A score, its tier and what made it', 'Skor, tingkatannya, dan asalnya'),
    access: 'everyone',
    options: [memberOption('The member (default: you)', 'Anggotanya (bawaan: Anda)')],
  },
  {
    name: 'leaderboard',
    description: text('The most involved members', 'Anggota yang paling terlibat'),
    access: 'everyone',
    options: [
      option('period', 'string', text('Which period', 'Periode yang mana'), oneOf(['week', 'month', 'all']), choicesOf(['week', 'This week', 'Minggu ini'], ['month', 'This month', 'Bulan ini'], ['all', 'All time', 'Sepanjang waktu'])),
    ],
  },
  {
    name: 'interests',
    description: text('Show or set your interests', 'Lihat atau atur minat Anda'),
    access: 'everyone',
    options: [option('interests', 'string', text('Interests from the list, separated by commas, or none', 'Minat dari daftar, dipisah koma, atau none'), z.string().trim().min(1))],
  },
  {
    name: 'intros',
    description: text('Take part in the weekly introductions, or not', 'Ikut perkenalan mingguan, atau tidak'),
    access: 'everyone',
    options: [option('state', 'string', text('on or off', 'on atau off'), oneOf(['on', 'off']), choicesOf(['on', 'On', 'Ikut'], ['off', 'Off', 'Tidak ikut']))],
  },
  {
    name: 'ambassador',
    description: text('Propose a member as an ambassador', 'Usulkan anggota sebagai duta'),
    access: 'everyone',
    options: [
      option('action', 'string', text('What to do', 'Yang dilakukan'), oneOf(['nominate']), { ...required, ...choicesOf(['nominate', 'Nominate', 'Usulkan']) }),
      memberOption('The member to propose', 'Anggota yang diusulkan', required),
    ],
  },
  {
    name: 'link',
    description: text('Link your accounts on Discord and Slack', 'Tautkan akun Anda di Discord dan Slack'),
    access: 'everyone',
    options: [option('code', 'string', text('The code from the other platform (none: get a code)', 'Kode dari platform lain (kosong: minta kode)'), z.string().trim().min(1).max(32))],
  },
  { name: 'unlink', description: text('Unlink this account from your other accounts', 'Lepaskan tautan akun ini dari akun Anda yang lain'), access: 'everyone' },
  { name: 'mydata', description: text('Get everything the bot stores about you', 'Dapatkan semua data Anda yang disimpan bot'), access: 'everyone' },
  {
    name: 'forgetme',
    description: text('Delete your data from this community', 'Hapus data Anda dari komunitas ini'),
    access: 'everyone',
    options: [option('confirm', 'string', text('Type confirm to delete (without it: what would go)', 'Pilih confirm untuk menghapus (tanpa itu: penjelasan)'), oneOf(['confirm']), choicesOf(['confirm', 'Yes, delete my data', 'Ya, hapus data saya']))],
  },
  // Digest and summaries (src/engine/digest/index.ts)
  {
    name: 'digest',
    description: text("The managers' daily digest of a day", 'Ringkasan harian untuk pengelola'),
    access: 'manager',
    options: [option('date', 'string', text('The day, YYYY-MM-DD (default: yesterday)', 'Tanggalnya, YYYY-MM-DD (bawaan: kemarin)'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'))],
  },
  {
    name: 'summarize',
    description: text("Summarize a channel's recent conversations", 'Ringkas percakapan terbaru di sebuah kanal'),
    access: 'everyone',
    options: [
      option('channel', 'channel', text('The channel (default: this one)', 'Kanalnya (bawaan: kanal ini)'), z.string().trim().min(1)),
      option('since', 'string', text('Since when: a duration (6h, 1d) or a time', 'Sejak kapan: durasi (6h, 1d) atau waktu'), z.string().trim().min(1)),
    ],
  },
];

export const COMMAND_DEFINITIONS: readonly CommandDefinition[] = z
  .array(CommandDefinitionSchema)
  .refine((all) => new Set(all.map((c) => c.name)).size === all.length, 'command names must be unique')
  .parse(definitions);
