ALTER TABLE "outbox" DROP CONSTRAINT "outbox_recipient_user_id_users_id_fk";
