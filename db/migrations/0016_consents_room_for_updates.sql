-- Each reminder bumps its consent's count (reminders_sent, last_reminded_at), columns no index reads. With
-- room left on the row's page, PostgreSQL writes the new version there and touches no index (a HOT
-- update); on a full page it moves the row and adds an entry to each of the table's four indexes. Pages
-- filled to the default 100 % left room for almost none: a sweep of 100,000 reminders (bench) updated 1 %
-- of its consents in place, and with half of each page kept free 92 %, its update taking half the time.
-- Consents are small rows, one or two a transfer: the table's doubled size costs little. Rows written
-- before this migration keep their pages; new ones, and versions moved out of a full page, get the room.
ALTER TABLE "consents" SET (fillfactor = 50);
