PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE roomserver_event_state_keys (
    event_state_key_nid INTEGER PRIMARY KEY AUTOINCREMENT,
    event_state_key TEXT NOT NULL UNIQUE
	);
INSERT INTO roomserver_event_state_keys VALUES(1,'');
CREATE TABLE roomserver_event_types (
    event_type_nid INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type TEXT NOT NULL UNIQUE
  );
INSERT INTO roomserver_event_types VALUES(1,'m.room.create');
INSERT INTO roomserver_event_types VALUES(2,'m.room.power_levels');
INSERT INTO roomserver_event_types VALUES(3,'m.room.join_rules');
INSERT INTO roomserver_event_types VALUES(4,'m.room.third_party_invite');
INSERT INTO roomserver_event_types VALUES(5,'m.room.member');
INSERT INTO roomserver_event_types VALUES(6,'m.room.redaction');
INSERT INTO roomserver_event_types VALUES(7,'m.room.history_visibility');
INSERT INTO roomserver_event_types VALUES(8,'m.room.server_acl');
CREATE TABLE roomserver_event_json (
    event_nid INTEGER NOT NULL PRIMARY KEY,
    event_json TEXT NOT NULL
  );
CREATE TABLE roomserver_events (
    event_nid INTEGER PRIMARY KEY AUTOINCREMENT,
    room_nid INTEGER NOT NULL,
    event_type_nid INTEGER NOT NULL,
    event_state_key_nid INTEGER NOT NULL,
    sent_to_output BOOLEAN NOT NULL DEFAULT FALSE,
    state_snapshot_nid INTEGER NOT NULL DEFAULT 0,
    depth INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
	auth_event_nids TEXT NOT NULL DEFAULT '[]',
	is_rejected BOOLEAN NOT NULL DEFAULT FALSE
  );
CREATE TABLE db_migrations ( version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
INSERT INTO db_migrations VALUES('roomserver: drop column reference_sha from roomserver_events','2026-11-27T16:58:39Z','0.15.2');
INSERT INTO db_migrations VALUES('roomserver: drop column reference_sha from roomserver_prev_events','2026-11-27T16:58:39Z','0.15.2');
INSERT INTO db_migrations VALUES('roomserver: add forgotten column','2026-11-27T16:58:40Z','0.15.2');
INSERT INTO db_migrations VALUES('roomserver: published appservice','2026-11-27T16:58:40Z','0.15.2');
INSERT INTO db_migrations VALUES('roomserver: state blocks refactor','2026-11-27T16:58:40Z','0.15.2');
CREATE TABLE roomserver_rooms (
    room_nid INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id TEXT NOT NULL UNIQUE,
    latest_event_nids TEXT NOT NULL DEFAULT '[]',
    last_event_sent_nid INTEGER NOT NULL DEFAULT 0,
    state_snapshot_nid INTEGER NOT NULL DEFAULT 0,
    room_version TEXT NOT NULL
  );
CREATE TABLE roomserver_state_block (
	-- The state snapshot NID that identifies this snapshot.
    state_block_nid INTEGER PRIMARY KEY AUTOINCREMENT,
	-- The hash of the state block, which is used to enforce uniqueness. The hash is
	-- generated in Dendrite and passed through to the database, as a btree index over 
	-- this column is cheap and fits within the maximum index size.
	state_block_hash BLOB UNIQUE,
	-- The event NIDs contained within the state block, encoded as JSON.
    event_nids TEXT NOT NULL DEFAULT '[]'
  );
CREATE TABLE roomserver_state_snapshots (
	-- The state snapshot NID that identifies this snapshot.
    state_snapshot_nid INTEGER PRIMARY KEY AUTOINCREMENT,
	-- The hash of the state snapshot, which is used to enforce uniqueness. The hash is
	-- generated in Dendrite and passed through to the database, as a btree index over 
	-- this column is cheap and fits within the maximum index size.
	state_snapshot_hash BLOB UNIQUE,
	-- The room NID that the snapshot belongs to.
    room_nid INTEGER NOT NULL,
	-- The state blocks contained within this snapshot, encoded as JSON.
    state_block_nids TEXT NOT NULL DEFAULT '[]'
  );
CREATE TABLE roomserver_previous_events (
    previous_event_id TEXT NOT NULL,
    event_nids TEXT NOT NULL,
    UNIQUE (previous_event_id)
  );
CREATE TABLE roomserver_room_aliases (
    alias TEXT NOT NULL PRIMARY KEY,
    room_id TEXT NOT NULL,
    creator_id TEXT NOT NULL
  );
CREATE TABLE roomserver_invites (
		invite_event_id TEXT PRIMARY KEY,
		room_nid INTEGER NOT NULL,
		target_nid INTEGER NOT NULL,
		sender_nid INTEGER NOT NULL DEFAULT 0,
		retired BOOLEAN NOT NULL DEFAULT FALSE,
		invite_event_json TEXT NOT NULL
	);
CREATE TABLE roomserver_membership (
		room_nid INTEGER NOT NULL,
		target_nid INTEGER NOT NULL,
		sender_nid INTEGER NOT NULL DEFAULT 0,
		membership_nid INTEGER NOT NULL DEFAULT 1,
		event_nid INTEGER NOT NULL DEFAULT 0,
		target_local BOOLEAN NOT NULL DEFAULT false,
		forgotten BOOLEAN NOT NULL DEFAULT false,
		UNIQUE (room_nid, target_nid)
	);
CREATE TABLE roomserver_published (
    room_id TEXT NOT NULL,
    appservice_id TEXT NOT NULL DEFAULT '',
    network_id TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT unique_published_idx PRIMARY KEY (room_id, appservice_id, network_id)
);
CREATE TABLE roomserver_redactions (
    redaction_event_id TEXT PRIMARY KEY,
	redacts_event_id TEXT NOT NULL,
	-- Initially FALSE, set to TRUE when the redaction has been validated according to rooms v3+ spec
	-- https://matrix.org/docs/spec/rooms/v3#authorization-rules-for-events
	validated BOOLEAN NOT NULL
);
CREATE TABLE roomserver_user_room_keys (     
    user_nid    INTEGER NOT NULL,
    room_nid    INTEGER NOT NULL,
    pseudo_id_key TEXT NULL, -- may be null for users not local to the server
    pseudo_id_pub_key TEXT NOT NULL,
    CONSTRAINT roomserver_user_room_keys_pk PRIMARY KEY (user_nid, room_nid)
);
CREATE TABLE roomserver_reported_events
(
    id					INTEGER PRIMARY KEY AUTOINCREMENT,
    room_nid 			INTEGER NOT NULL,
	event_nid 			INTEGER NOT NULL,
    reporting_user_nid	INTEGER NOT NULL, -- the user reporting the event
    event_sender_nid	INTEGER NOT NULL, -- the user who sent the reported event
    reason      		TEXT,
    score       		INTEGER,
    received_ts 		INTEGER NOT NULL
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('roomserver_event_state_keys',1);
INSERT INTO sqlite_sequence VALUES('roomserver_event_types',8);
CREATE INDEX roomserver_events_memberships_idx ON roomserver_events (room_nid, event_state_key_nid) WHERE (event_type_nid = 5);
CREATE INDEX roomserver_event_event_type_nid_idx ON roomserver_events (event_type_nid);
CREATE INDEX roomserver_event_state_key_nid_idx ON roomserver_events (event_state_key_nid);
CREATE INDEX roomserver_room_id_idx ON roomserver_room_aliases(room_id);
CREATE INDEX roomserver_invites_active_idx ON roomserver_invites (target_nid, room_nid)
		WHERE NOT retired;
COMMIT;
