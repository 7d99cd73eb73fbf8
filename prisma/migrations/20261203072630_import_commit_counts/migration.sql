-- AlterTable
ALTER TABLE "Import" ADD COLUMN     "commitsScanned" INTEGER,
ADD COLUMN     "commitsWithSpecChanges" INTEGER NOT NULL DEFAULT 0;


-- What imports recorded so far counted as "commitsRead" was the commits that changed a recognised file.
UPDATE "Import" SET "commitsWithSpecChanges" = "commitsRead";
