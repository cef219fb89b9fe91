PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE keyserver_one_time_keys (
    user_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	key_id TEXT NOT NULL,
	algorithm TEXT NOT NULL,
	ts_added_secs BIGINT NOT NULL,
	key_json TEXT NOT NULL,
	-- Clobber based on 4-uple of user/device/key/algorithm.
    UNIQUE (user_id, device_id, key_id, algorithm)
);
CREATE TABLE keyserver_fallback_keys (
    user_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	key_id TEXT NOT NULL,
	algorithm TEXT NOT NULL,
	ts_added_secs BIGINT NOT NULL,
	key_json TEXT NOT NULL,
	used BOOLEAN NOT NULL
);
CREATE TABLE keyserver_device_keys (
    user_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	ts_added_secs BIGINT NOT NULL,
	key_json TEXT NOT NULL,
	stream_id BIGINT NOT NULL,
	display_name TEXT,
	-- Clobber based on tuple of user/device.
    UNIQUE (user_id, device_id)
);
CREATE TABLE keyserver_key_changes (
	change_id INTEGER PRIMARY KEY AUTOINCREMENT,
	-- The key owner
	user_id TEXT NOT NULL,
	UNIQUE (user_id)
);
CREATE TABLE db_migrations ( version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
INSERT INTO db_migrations VALUES('keyserver: refactor key changes','2026-11-27T16:58:41Z','0.15.2');
INSERT INTO db_migrations VALUES('keyserver: cross signing signature indexes','2026-11-27T16:58:41Z','0.15.2');
CREATE TABLE keyserver_stale_device_lists (
    user_id TEXT PRIMARY KEY NOT NULL,
	domain TEXT NOT NULL,
	is_stale BOOLEAN NOT NULL,
	ts_added_secs BIGINT NOT NULL
);
CREATE TABLE keyserver_cross_signing_keys (
    user_id TEXT NOT NULL,
	key_type INTEGER NOT NULL,
	key_data TEXT NOT NULL,
	PRIMARY KEY (user_id, key_type)
);
CREATE TABLE IF NOT EXISTS "keyserver_cross_signing_sigs" (
			origin_user_id TEXT NOT NULL,
			origin_key_id TEXT NOT NULL,
			target_user_id TEXT NOT NULL,
			target_key_id TEXT NOT NULL,
			signature TEXT NOT NULL,
			PRIMARY KEY (origin_user_id, origin_key_id, target_user_id, target_key_id)
		);
DELETE FROM sqlite_sequence;
CREATE INDEX keyserver_one_time_keys_idx ON keyserver_one_time_keys (user_id, device_id);
CREATE UNIQUE INDEX keyserver_fallback_keys_unique_idx ON keyserver_fallback_keys(user_id, device_id, algorithm);
CREATE INDEX keyserver_fallback_keys_idx ON keyserver_fallback_keys (user_id, device_id);
CREATE INDEX keyserver_stale_device_lists_idx ON keyserver_stale_device_lists (domain, is_stale);
CREATE INDEX keyserver_cross_signing_sigs_idx ON keyserver_cross_signing_sigs (origin_user_id, target_user_id, target_key_id);
COMMIT;
