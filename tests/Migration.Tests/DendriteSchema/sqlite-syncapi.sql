PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE syncapi_stream_id (
  stream_name TEXT NOT NULL PRIMARY KEY,
  stream_id INT DEFAULT 0,

  UNIQUE(stream_name)
);
INSERT INTO syncapi_stream_id VALUES('global',0);
INSERT INTO syncapi_stream_id VALUES('receipt',1);
INSERT INTO syncapi_stream_id VALUES('accountdata',0);
INSERT INTO syncapi_stream_id VALUES('invite',0);
INSERT INTO syncapi_stream_id VALUES('presence',0);
INSERT INTO syncapi_stream_id VALUES('notification',0);
INSERT INTO syncapi_stream_id VALUES('relation',0);
CREATE TABLE syncapi_account_data_type (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    type TEXT NOT NULL,
    UNIQUE (user_id, room_id, type)
);
CREATE TABLE syncapi_output_room_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  room_id TEXT NOT NULL,
  headered_event_json TEXT NOT NULL,
  type TEXT NOT NULL,
  sender TEXT NOT NULL,
  contains_url BOOL NOT NULL,
  add_state_ids TEXT, -- JSON encoded string array
  remove_state_ids TEXT, -- JSON encoded string array
  session_id BIGINT,
  transaction_id TEXT,
  exclude_from_sync BOOL NOT NULL DEFAULT FALSE,
  history_visibility SMALLINT NOT NULL DEFAULT 2 -- The history visibility before this event (1 - world_readable; 2 - shared; 3 - invited; 4 - joined)
);
CREATE TABLE db_migrations ( version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
INSERT INTO db_migrations VALUES('syncapi: add history visibility column (output_room_events)','2026-11-27T16:58:42Z','0.15.2');
INSERT INTO db_migrations VALUES('syncapi: add history visibility column (current_room_state)','2026-11-27T16:58:42Z','0.15.2');
INSERT INTO db_migrations VALUES('syncapi: drop sent_by_token','2026-11-27T16:58:42Z','0.15.2');
INSERT INTO db_migrations VALUES('syncapi: fix sequences','2026-11-27T16:58:42Z','0.15.2');
INSERT INTO db_migrations VALUES('syncapi: set history visibility for existing events','2026-11-27T16:58:42Z','0.15.2');
CREATE TABLE syncapi_current_room_state (
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    sender TEXT NOT NULL,
    contains_url BOOL NOT NULL DEFAULT false,
    state_key TEXT NOT NULL,
    headered_event_json TEXT NOT NULL,
    membership TEXT,
    added_at BIGINT,
    history_visibility SMALLINT NOT NULL DEFAULT 2, -- The history visibility before this event (1 - world_readable; 2 - shared; 3 - invited; 4 - joined)
    UNIQUE (room_id, type, state_key)
);
CREATE TABLE syncapi_invite_events (
	id INTEGER PRIMARY KEY,
	event_id TEXT NOT NULL,
	room_id TEXT NOT NULL,
	target_user_id TEXT NOT NULL,
	headered_event_json TEXT NOT NULL,
	deleted BOOL NOT NULL
);
CREATE TABLE syncapi_peeks (
	id INTEGER,
	room_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	deleted BOOL NOT NULL DEFAULT false,
    -- When the peek was created in UNIX epoch ms.
    creation_ts INTEGER NOT NULL,
    UNIQUE(room_id, user_id, device_id)
);
CREATE TABLE syncapi_output_room_events_topology (
  event_id TEXT PRIMARY KEY,
  topological_position BIGINT NOT NULL,
  stream_position BIGINT NOT NULL,
  room_id TEXT NOT NULL,

	UNIQUE(topological_position, room_id, stream_position)
);
CREATE TABLE syncapi_backward_extremities (
	-- The 'room_id' key for the event.
	room_id TEXT NOT NULL,
	-- The event ID for the last known event. This is the backwards extremity.
	event_id TEXT NOT NULL,
	-- The prev_events for the last known event. This is used to update extremities.
	prev_event_id TEXT NOT NULL,
	PRIMARY KEY(room_id, event_id, prev_event_id)
);
CREATE TABLE syncapi_send_to_device(
			id INTEGER PRIMARY KEY AUTOINCREMENT, 
			user_id TEXT NOT NULL,
			device_id TEXT NOT NULL,
			content TEXT NOT NULL
		);
CREATE TABLE syncapi_filter (
	-- The filter
	filter TEXT NOT NULL,
	-- The ID
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	-- The localpart of the Matrix user ID associated to this filter
	localpart TEXT NOT NULL,

	UNIQUE (id, localpart)
);
CREATE TABLE syncapi_receipts (
	-- The ID
	id BIGINT,
	room_id TEXT NOT NULL,
	receipt_type TEXT NOT NULL,
	user_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	receipt_ts BIGINT NOT NULL,
	CONSTRAINT syncapi_receipts_unique UNIQUE (room_id, receipt_type, user_id)
);
CREATE TABLE syncapi_memberships (
    -- The 'room_id' key for the state event.
    room_id TEXT NOT NULL,
    -- The state event ID
	user_id TEXT NOT NULL,
	-- The status of the membership
	membership TEXT NOT NULL,
	-- The event ID that last changed the membership
	event_id TEXT NOT NULL,
	-- The stream position of the change
	stream_pos BIGINT NOT NULL,
	-- The topological position of the change in the room
	topological_pos BIGINT NOT NULL,
	-- Unique index
	UNIQUE (room_id, user_id, membership)
);
CREATE TABLE syncapi_notification_data (
	id INTEGER PRIMARY KEY,
	user_id TEXT NOT NULL,
	room_id TEXT NOT NULL,
	notification_count BIGINT NOT NULL DEFAULT 0,
	highlight_count BIGINT NOT NULL DEFAULT 0,
	CONSTRAINT syncapi_notifications_unique UNIQUE (user_id, room_id)
);
CREATE TABLE syncapi_ignores (
	-- The user ID whose ignore list this belongs to.
	user_id TEXT NOT NULL,
	ignores_json TEXT NOT NULL,
	PRIMARY KEY(user_id)
);
CREATE TABLE syncapi_presence (
	-- The ID
	id BIGINT NOT NULL,
	-- The Matrix user ID
	user_id TEXT NOT NULL,
	-- The actual presence
	presence INT NOT NULL,
	-- The status message
	status_msg TEXT,
	-- The last time an action was received by this user
	last_active_ts BIGINT NOT NULL,
	CONSTRAINT presence_presences_unique UNIQUE (user_id)
);
CREATE TABLE syncapi_relations (
	id BIGINT PRIMARY KEY,
	room_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	child_event_id TEXT NOT NULL,
	child_event_type TEXT NOT NULL,
	rel_type TEXT NOT NULL,
	UNIQUE (room_id, event_id, child_event_id, rel_type)
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('syncapi_send_to_device',0);
CREATE INDEX syncapi_output_room_events_type_idx ON syncapi_output_room_events (type);
CREATE INDEX syncapi_output_room_events_sender_idx ON syncapi_output_room_events (sender);
CREATE INDEX syncapi_output_room_events_room_id_idx ON syncapi_output_room_events (room_id);
CREATE INDEX syncapi_output_room_events_exclude_from_sync_idx ON syncapi_output_room_events (exclude_from_sync);
CREATE INDEX syncapi_output_room_events_add_state_ids_idx ON syncapi_output_room_events ((add_state_ids IS NOT NULL));
CREATE INDEX syncapi_output_room_events_remove_state_ids_idx ON syncapi_output_room_events ((remove_state_ids IS NOT NULL));
CREATE UNIQUE INDEX syncapi_event_id_idx ON syncapi_current_room_state(event_id, room_id, type, sender, contains_url);
CREATE UNIQUE INDEX syncapi_current_room_state_eventid_idx ON syncapi_current_room_state(event_id);
CREATE INDEX syncapi_current_room_state_type_state_key_idx ON syncapi_current_room_state(type, state_key);
CREATE INDEX syncapi_invites_target_user_id_idx ON syncapi_invite_events (target_user_id, id);
CREATE INDEX syncapi_invites_event_id_idx ON syncapi_invite_events (event_id);
CREATE INDEX syncapi_peeks_room_id_idx ON syncapi_peeks(room_id);
CREATE INDEX syncapi_peeks_user_id_device_id_idx ON syncapi_peeks(user_id, device_id);
CREATE INDEX syncapi_filter_localpart ON syncapi_filter(localpart);
CREATE INDEX syncapi_receipts_room_id_idx ON syncapi_receipts(room_id);
CREATE INDEX syncapi_presence_user_id ON syncapi_presence(user_id);
COMMIT;
