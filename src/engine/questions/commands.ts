import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { Member, Question } from '../../generated/prisma/client.js';
import type { EventContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { isModerator } from '../permissions.js';
import { findMemberByReference } from '../records/index.js';
import { markResolved } from './lifecycle.js';

type Command = EventOfType<'command.invoked'>;
const LIST_LIMIT = 10;

const reply = (event: Command, text: string): ActionDraft => ({ type: 'reply.ephemeral', member: event.member.id, message: { text } });

/** Moderators and members of any question team may act on others' questions. */
function isHelperStaff(roles: readonly string[] | undefined, ctx: EventContext): boolean {
  const teamRoles = Object.values(ctx.config.questions.teams).map((team) => team.role);
  return isModerator(roles, ctx.config) || (roles ?? []).some((role) => teamRoles.includes(role));
}

/** The question a command points at: by message id, else the latest unsettled one here of the invoker. */
async function targetQuestion(event: Command, ctx: EventContext, messageId: string | undefined): Promise<Question | null> {
  const communityId = ctx.community.id;
  if (messageId) return ctx.tx.question.findUnique({ where: { communityId_messageExternalId: { communityId, messageExternalId: messageId } } });
  return ctx.tx.question.findFirst({
    where: {
      communityId,
      status: { in: ['open', 'escalated', 'answered'] },
      OR: [{ threadExternalId: event.channel }, { channelExternalId: event.channel, askerId: ctx.member!.id }],
    },
    orderBy: { id: 'desc' },
  });
}

function line(ctx: EventContext, q: Question & { asker: Member }): string {
  return ctx.t('questions.line', {
    id: q.messageExternalId,
    status: ctx.t(`questions.status.${q.status}`),
    asker: `<@${q.asker.externalId}>`,
    channel: `<#${q.channelExternalId}>`,
    team: q.team,
    text: neutralizeMentions(truncate(q.text.replace(/\s+/g, ' '), 100)),
  });
}

const listQuestions = async (event: Command, ctx: EventContext): Promise<ActionDraft[]> => {
  const filter = commandArgs(event, ['filter'] as const).filter ?? 'open';
  if (!['open', 'escalated', 'mine'].includes(filter)) return [reply(event, ctx.t('questions.badFilter'))];
  const where =
    filter === 'mine'
      ? { askerId: ctx.member!.id }
      : filter === 'escalated'
        ? { status: 'escalated' as const }
        : { status: { in: ['open' as const, 'escalated' as const] } };
  const found = await ctx.tx.question.findMany({ where: { communityId: ctx.community.id, ...where }, orderBy: { askedAt: 'asc' }, take: LIST_LIMIT, include: { asker: true } });
  if (!found.length) return [reply(event, ctx.t('questions.none'))];
  return [reply(event, [ctx.t(`questions.header.${filter}`), ...found.map((q) => `- ${line(ctx, q)}`)].join('\n'))];
};

const resolve = async (event: Command, ctx: EventContext): Promise<ActionDraft[]> => {
  const { message } = commandArgs(event, ['message'] as const);
  const question = await targetQuestion(event, ctx, message);
  if (!question) return [reply(event, ctx.t('questions.notFound'))];
  if (question.askerId !== ctx.member!.id && !isHelperStaff(event.member.roles, ctx)) return [reply(event, ctx.t('questions.onlyAskerOrTeam'))];
  if (question.status === 'resolved') return [reply(event, ctx.t('questions.alreadyResolved'))];
  await markResolved(ctx, question, ctx.member!, ctx.clock.now());
  return [reply(event, ctx.t('questions.resolved'))];
};

const assign = async (event: Command, ctx: EventContext): Promise<ActionDraft[]> => {
  if (!isHelperStaff(event.member.roles, ctx)) return [reply(event, ctx.t('questions.onlyTeam'))];
  const args = commandArgs(event, ['member', 'message'] as const);
  if (!args.member) return [reply(event, ctx.t('questions.needsMember'))];
  const assignee = await findMemberByReference(ctx.tx, ctx.community.id, args.member);
  if (!assignee) return [reply(event, ctx.t('questions.unknownMember', { member: neutralizeMentions(args.member) }))];
  const question = await targetQuestion(event, ctx, args.message);
  if (!question || question.status === 'resolved') return [reply(event, ctx.t('questions.notFound'))];
  await ctx.tx.question.update({ where: { id: question.id }, data: { assigneeId: assignee.id } });
  return [
    reply(event, ctx.t('questions.assigned', { member: `<@${assignee.externalId}>` })),
    {
      type: 'message.send',
      member: assignee.externalId,
      message: {
        text: ctx.t('questions.assignedDm', { by: `<@${event.member.id}>`, channel: `<#${question.channelExternalId}>` }),
        fields: [{ name: ctx.t('questions.field.question'), value: neutralizeMentions(truncate(question.text, 500)) }],
      },
    },
  ];
};

const COMMANDS: Record<string, (event: Command, ctx: EventContext) => Promise<ActionDraft[]>> = { questions: listQuestions, resolve, assign };

export async function handleQuestionCommand(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const handler = COMMANDS[event.command];
  return handler && ctx.config.questions.enabled ? handler(event, ctx) : [];
}
