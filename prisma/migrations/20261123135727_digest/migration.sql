-- CreateTable
CREATE TABLE "Digest" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "cause" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Digest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Digest_communityId_day_key" ON "Digest"("communityId", "day");

-- AddForeignKey
ALTER TABLE "Digest" ADD CONSTRAINT "Digest_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
