-- CreateTable
CREATE TABLE "PlatformMessage" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "channelExternalId" TEXT NOT NULL,
    "messageExternalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlatformMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "installation" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlatformMessage_communityId_key_key" ON "PlatformMessage"("communityId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_key_key" ON "SlackInstallation"("key");

-- AddForeignKey
ALTER TABLE "PlatformMessage" ADD CONSTRAINT "PlatformMessage_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
