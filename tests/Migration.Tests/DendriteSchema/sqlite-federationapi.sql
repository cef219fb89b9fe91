PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE federationsender_blacklist (
    -- The blacklisted server name
	server_name TEXT NOT NULL,
	UNIQUE (server_name)
);
CREATE TABLE federationsender_joined_hosts (
    -- The string ID of the room.
    room_id TEXT NOT NULL,
    -- The event ID of the m.room.member join event.
    event_id TEXT NOT NULL,
    -- The domain part of the user ID the m.room.member event is for.
    server_name TEXT NOT NULL
);
CREATE TABLE federationsender_queue_pdus (
    -- The transaction ID that was generated before persisting the event.
	transaction_id TEXT NOT NULL,
    -- The domain part of the user ID the m.room.member event is for.
	server_name TEXT NOT NULL,
	-- The JSON NID from the federationsender_queue_pdus_json table.
	json_nid BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS "federationsender_queue_edus_old" (
	-- The type of the event (informational).
	edu_type TEXT NOT NULL,
    -- The domain part of the user ID the EDU event is for.
	server_name TEXT NOT NULL,
	-- The JSON NID from the federationsender_queue_edus_json table.
	json_nid BIGINT NOT NULL,
	-- The expiry time of this edu, if any.
	expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE db_migrations ( version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
INSERT INTO db_migrations VALUES('federationapi: add expiresat column','2026-11-27T16:58:40Z','0.15.2');
INSERT INTO db_migrations VALUES('federationsender: drop federationsender_rooms','2026-11-27T16:58:40Z','0.15.2');
CREATE TABLE federationsender_queue_edus (
	edu_type TEXT NOT NULL,
	server_name TEXT NOT NULL,
	json_nid BIGINT NOT NULL,
	expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE federationsender_queue_json (
	-- The JSON NID. This allows the federationsender_queue_retry table to
	-- cross-reference to find the JSON blob.
	json_nid INTEGER PRIMARY KEY AUTOINCREMENT,
	-- The JSON body. Text so that we preserve UTF-8.
	json_body TEXT NOT NULL
);
CREATE TABLE federationsender_assumed_offline(
    -- The assumed offline server name
	server_name TEXT PRIMARY KEY NOT NULL
);
CREATE TABLE federationsender_relay_servers (
	-- The destination server name
	server_name TEXT NOT NULL,
	-- The relay server name for a given destination
	relay_server_name TEXT NOT NULL,
	UNIQUE (server_name, relay_server_name)
);
CREATE TABLE federationsender_outbound_peeks (
	room_id TEXT NOT NULL,
	server_name TEXT NOT NULL,
	peek_id TEXT NOT NULL,
    creation_ts INTEGER NOT NULL,
    renewed_ts INTEGER NOT NULL,
    renewal_interval INTEGER NOT NULL,
	UNIQUE (room_id, server_name, peek_id)
);
CREATE TABLE federationsender_inbound_peeks (
	room_id TEXT NOT NULL,
	server_name TEXT NOT NULL,
	peek_id TEXT NOT NULL,
    creation_ts INTEGER NOT NULL,
    renewed_ts INTEGER NOT NULL,
    renewal_interval INTEGER NOT NULL,
	UNIQUE (room_id, server_name, peek_id)
);
CREATE TABLE federationsender_notary_server_keys_json (
    notary_id INTEGER PRIMARY KEY AUTOINCREMENT,
	response_json TEXT NOT NULL,
	server_name TEXT NOT NULL,
	valid_until BIGINT NOT NULL
);
CREATE TABLE federationsender_notary_server_keys_metadata (
    notary_id BIGINT NOT NULL,
	server_name TEXT NOT NULL,
	key_id TEXT NOT NULL,
	UNIQUE (server_name, key_id)
);
CREATE TABLE keydb_server_keys (
	-- The name of the matrix server the key is for.
	server_name TEXT NOT NULL,
	-- The ID of the server key.
	server_key_id TEXT NOT NULL,
	-- Combined server name and key ID separated by the ASCII unit separator
	-- to make it easier to run bulk queries.
	server_name_and_key_id TEXT NOT NULL,
	-- When the key is valid until as a millisecond timestamp.
	-- 0 if this is an expired key (in which case expired_ts will be non-zero)
	valid_until_ts BIGINT NOT NULL,
	-- When the key expired as a millisecond timestamp.
	-- 0 if this is an active key (in which case valid_until_ts will be non-zero)
	expired_ts BIGINT NOT NULL,
	-- The base64-encoded public key.
	server_key TEXT NOT NULL,
	UNIQUE (server_name, server_key_id)
);
DELETE FROM sqlite_sequence;
CREATE UNIQUE INDEX federatonsender_joined_hosts_event_id_idx
    ON federationsender_joined_hosts (event_id);
CREATE INDEX federatonsender_joined_hosts_room_id_idx
    ON federationsender_joined_hosts (room_id);
CREATE UNIQUE INDEX federationsender_queue_pdus_pdus_json_nid_idx
    ON federationsender_queue_pdus (json_nid, server_name);
CREATE INDEX federationsender_queue_pdus_json_nid_idx
    ON federationsender_queue_pdus (json_nid);
CREATE INDEX federationsender_queue_pdus_server_name_idx
    ON federationsender_queue_pdus (server_name);
CREATE UNIQUE INDEX federationsender_queue_edus_json_nid_idx
    ON "federationsender_queue_edus_old" (json_nid, server_name);
CREATE INDEX federationsender_queue_edus_nid_idx
    ON "federationsender_queue_edus_old" (json_nid);
CREATE INDEX federationsender_queue_edus_server_name_idx
    ON "federationsender_queue_edus_old" (server_name);
CREATE UNIQUE INDEX federationsender_queue_json_json_nid_idx
    ON federationsender_queue_json (json_nid);
CREATE INDEX federationsender_relay_servers_server_name_idx
	ON federationsender_relay_servers (server_name);
CREATE INDEX keydb_server_name_and_key_id ON keydb_server_keys (server_name_and_key_id);
COMMIT;
