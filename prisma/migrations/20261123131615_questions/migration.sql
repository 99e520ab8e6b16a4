-- CreateEnum
CREATE TYPE "QuestionStatus" AS ENUM ('open', 'answered', 'escalated', 'resolved');

-- CreateTable
CREATE TABLE "Question" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "askerId" INTEGER NOT NULL,
    "channelExternalId" TEXT NOT NULL,
    "messageExternalId" TEXT NOT NULL,
    "threadExternalId" TEXT,
    "text" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "topic" TEXT,
    "team" TEXT NOT NULL,
    "status" "QuestionStatus" NOT NULL DEFAULT 'open',
    "askedAt" TIMESTAMP(3) NOT NULL,
    "deadlineAt" TIMESTAMP(3) NOT NULL,
    "firstAnswerAt" TIMESTAMP(3),
    "firstAnswerMessageId" TEXT,
    "answeredById" INTEGER,
    "acceptedAnswerById" INTEGER,
    "acceptedAnswerMessageId" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" INTEGER,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "assigneeId" INTEGER,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionEscalation" (
    "id" SERIAL NOT NULL,
    "questionId" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "team" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuestionEscalation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Question_communityId_status_idx" ON "Question"("communityId", "status");

-- CreateIndex
CREATE INDEX "Question_communityId_askedAt_idx" ON "Question"("communityId", "askedAt");

-- CreateIndex
CREATE INDEX "Question_communityId_threadExternalId_idx" ON "Question"("communityId", "threadExternalId");

-- CreateIndex
CREATE UNIQUE INDEX "Question_communityId_messageExternalId_key" ON "Question"("communityId", "messageExternalId");

-- CreateIndex
CREATE INDEX "QuestionEscalation_team_at_idx" ON "QuestionEscalation"("team", "at");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionEscalation_questionId_level_key" ON "QuestionEscalation"("questionId", "level");

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_askerId_fkey" FOREIGN KEY ("askerId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_acceptedAnswerById_fkey" FOREIGN KEY ("acceptedAnswerById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionEscalation" ADD CONSTRAINT "QuestionEscalation_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;
