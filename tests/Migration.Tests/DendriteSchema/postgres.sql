--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: db_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.db_migrations (
    version text NOT NULL,
    "time" text NOT NULL,
    dendrite_version text NOT NULL
);


--
-- Name: federationsender_assumed_offline; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_assumed_offline (
    server_name text NOT NULL
);


--
-- Name: federationsender_blacklist; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_blacklist (
    server_name text NOT NULL
);


--
-- Name: federationsender_inbound_peeks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_inbound_peeks (
    room_id text NOT NULL,
    server_name text NOT NULL,
    peek_id text NOT NULL,
    creation_ts bigint NOT NULL,
    renewed_ts bigint NOT NULL,
    renewal_interval bigint NOT NULL
);


--
-- Name: federationsender_joined_hosts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_joined_hosts (
    room_id text NOT NULL,
    event_id text NOT NULL,
    server_name text NOT NULL
);


--
-- Name: federationsender_notary_server_keys_json_pkey; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.federationsender_notary_server_keys_json_pkey
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: federationsender_notary_server_keys_json; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_notary_server_keys_json (
    notary_id bigint DEFAULT nextval('public.federationsender_notary_server_keys_json_pkey'::regclass) NOT NULL,
    response_json text NOT NULL,
    server_name text NOT NULL,
    valid_until bigint NOT NULL
);


--
-- Name: federationsender_notary_server_keys_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_notary_server_keys_metadata (
    notary_id bigint NOT NULL,
    server_name text NOT NULL,
    key_id text NOT NULL
);


--
-- Name: federationsender_outbound_peeks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_outbound_peeks (
    room_id text NOT NULL,
    server_name text NOT NULL,
    peek_id text NOT NULL,
    creation_ts bigint NOT NULL,
    renewed_ts bigint NOT NULL,
    renewal_interval bigint NOT NULL
);


--
-- Name: federationsender_queue_edus; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_queue_edus (
    edu_type text NOT NULL,
    server_name text NOT NULL,
    json_nid bigint NOT NULL,
    expires_at bigint DEFAULT 0 NOT NULL
);


--
-- Name: federationsender_queue_json; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_queue_json (
    json_nid bigint NOT NULL,
    json_body text NOT NULL
);


--
-- Name: federationsender_queue_json_json_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.federationsender_queue_json_json_nid_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: federationsender_queue_json_json_nid_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.federationsender_queue_json_json_nid_seq OWNED BY public.federationsender_queue_json.json_nid;


--
-- Name: federationsender_queue_pdus; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_queue_pdus (
    transaction_id text NOT NULL,
    server_name text NOT NULL,
    json_nid bigint NOT NULL
);


--
-- Name: federationsender_relay_servers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.federationsender_relay_servers (
    server_name text NOT NULL,
    relay_server_name text NOT NULL
);


--
-- Name: keydb_server_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keydb_server_keys (
    server_name text NOT NULL,
    server_key_id text NOT NULL,
    server_name_and_key_id text NOT NULL,
    valid_until_ts bigint NOT NULL,
    expired_ts bigint NOT NULL,
    server_key text NOT NULL
);


--
-- Name: keyserver_cross_signing_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_cross_signing_keys (
    user_id text NOT NULL,
    key_type smallint NOT NULL,
    key_data text NOT NULL
);


--
-- Name: keyserver_cross_signing_sigs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_cross_signing_sigs (
    origin_user_id text NOT NULL,
    origin_key_id text NOT NULL,
    target_user_id text NOT NULL,
    target_key_id text NOT NULL,
    signature text NOT NULL
);


--
-- Name: keyserver_device_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_device_keys (
    user_id text NOT NULL,
    device_id text NOT NULL,
    ts_added_secs bigint NOT NULL,
    key_json text NOT NULL,
    stream_id bigint NOT NULL,
    display_name text
);


--
-- Name: keyserver_fallback_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_fallback_keys (
    user_id text NOT NULL,
    device_id text NOT NULL,
    key_id text NOT NULL,
    algorithm text NOT NULL,
    ts_added_secs bigint NOT NULL,
    key_json text NOT NULL,
    used boolean NOT NULL
);


--
-- Name: keyserver_key_changes_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.keyserver_key_changes_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: keyserver_key_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_key_changes (
    change_id bigint DEFAULT nextval('public.keyserver_key_changes_seq'::regclass) NOT NULL,
    user_id text NOT NULL
);


--
-- Name: keyserver_one_time_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_one_time_keys (
    user_id text NOT NULL,
    device_id text NOT NULL,
    key_id text NOT NULL,
    algorithm text NOT NULL,
    ts_added_secs bigint NOT NULL,
    key_json text NOT NULL
);


--
-- Name: keyserver_stale_device_lists; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.keyserver_stale_device_lists (
    user_id text NOT NULL,
    domain text NOT NULL,
    is_stale boolean NOT NULL,
    ts_added_secs bigint NOT NULL
);


--
-- Name: mediaapi_media_repository; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mediaapi_media_repository (
    media_id text NOT NULL,
    media_origin text NOT NULL,
    content_type text NOT NULL,
    file_size_bytes bigint NOT NULL,
    creation_ts bigint NOT NULL,
    upload_name text NOT NULL,
    base64hash text NOT NULL,
    user_id text NOT NULL
);


--
-- Name: mediaapi_thumbnail; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mediaapi_thumbnail (
    media_id text NOT NULL,
    media_origin text NOT NULL,
    content_type text NOT NULL,
    file_size_bytes bigint NOT NULL,
    creation_ts bigint NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    resize_method text NOT NULL
);


--
-- Name: roomserver_event_json; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_event_json (
    event_nid bigint NOT NULL,
    event_json text NOT NULL
);


--
-- Name: roomserver_event_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_event_nid_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_event_state_key_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_event_state_key_nid_seq
    START WITH 65536
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_event_state_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_event_state_keys (
    event_state_key_nid bigint DEFAULT nextval('public.roomserver_event_state_key_nid_seq'::regclass) NOT NULL,
    event_state_key text NOT NULL
);


--
-- Name: roomserver_event_type_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_event_type_nid_seq
    START WITH 65536
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_event_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_event_types (
    event_type_nid bigint DEFAULT nextval('public.roomserver_event_type_nid_seq'::regclass) NOT NULL,
    event_type text NOT NULL
);


--
-- Name: roomserver_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_events (
    event_nid bigint DEFAULT nextval('public.roomserver_event_nid_seq'::regclass) NOT NULL,
    room_nid bigint NOT NULL,
    event_type_nid bigint NOT NULL,
    event_state_key_nid bigint NOT NULL,
    sent_to_output boolean DEFAULT false NOT NULL,
    state_snapshot_nid bigint DEFAULT 0 NOT NULL,
    depth bigint NOT NULL,
    event_id text NOT NULL,
    auth_event_nids bigint[] NOT NULL,
    is_rejected boolean DEFAULT false NOT NULL
);


--
-- Name: roomserver_invites; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_invites (
    invite_event_id text NOT NULL,
    room_nid bigint NOT NULL,
    target_nid bigint NOT NULL,
    sender_nid bigint DEFAULT 0 NOT NULL,
    retired boolean DEFAULT false NOT NULL,
    invite_event_json text NOT NULL
);


--
-- Name: roomserver_membership; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_membership (
    room_nid bigint NOT NULL,
    target_nid bigint NOT NULL,
    sender_nid bigint DEFAULT 0 NOT NULL,
    membership_nid bigint DEFAULT 1 NOT NULL,
    event_nid bigint DEFAULT 0 NOT NULL,
    target_local boolean DEFAULT false NOT NULL,
    forgotten boolean DEFAULT false NOT NULL
);


--
-- Name: roomserver_previous_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_previous_events (
    previous_event_id text NOT NULL,
    event_nids bigint[] NOT NULL
);


--
-- Name: roomserver_published; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_published (
    room_id text NOT NULL,
    appservice_id text NOT NULL,
    network_id text NOT NULL,
    published boolean DEFAULT false NOT NULL
);


--
-- Name: roomserver_redactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_redactions (
    redaction_event_id text NOT NULL,
    redacts_event_id text NOT NULL,
    validated boolean NOT NULL
);


--
-- Name: roomserver_reported_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_reported_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_reported_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_reported_events (
    id bigint DEFAULT nextval('public.roomserver_reported_events_id_seq'::regclass) NOT NULL,
    room_nid bigint NOT NULL,
    event_nid bigint NOT NULL,
    reporting_user_nid bigint NOT NULL,
    event_sender_nid bigint NOT NULL,
    reason text,
    score integer,
    received_ts bigint NOT NULL
);


--
-- Name: roomserver_room_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_room_aliases (
    alias text NOT NULL,
    room_id text NOT NULL,
    creator_id text NOT NULL
);


--
-- Name: roomserver_room_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_room_nid_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_rooms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_rooms (
    room_nid bigint DEFAULT nextval('public.roomserver_room_nid_seq'::regclass) NOT NULL,
    room_id text NOT NULL,
    latest_event_nids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    last_event_sent_nid bigint DEFAULT 0 NOT NULL,
    state_snapshot_nid bigint DEFAULT 0 NOT NULL,
    room_version text NOT NULL
);


--
-- Name: roomserver_state_block_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_state_block_nid_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_state_block; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_state_block (
    state_block_nid bigint DEFAULT nextval('public.roomserver_state_block_nid_seq'::regclass) NOT NULL,
    state_block_hash bytea,
    event_nids bigint[] NOT NULL
);


--
-- Name: roomserver_state_snapshot_nid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.roomserver_state_snapshot_nid_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: roomserver_state_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_state_snapshots (
    state_snapshot_nid bigint DEFAULT nextval('public.roomserver_state_snapshot_nid_seq'::regclass) NOT NULL,
    state_snapshot_hash bytea,
    room_nid bigint NOT NULL,
    state_block_nids bigint[] NOT NULL
);


--
-- Name: roomserver_user_room_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roomserver_user_room_keys (
    user_nid integer NOT NULL,
    room_nid integer NOT NULL,
    pseudo_id_key bytea,
    pseudo_id_pub_key bytea NOT NULL
);


--
-- Name: syncapi_stream_id; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_stream_id
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_account_data_type; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_account_data_type (
    id bigint DEFAULT nextval('public.syncapi_stream_id'::regclass) NOT NULL,
    user_id text NOT NULL,
    room_id text NOT NULL,
    type text NOT NULL
);


--
-- Name: syncapi_backward_extremities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_backward_extremities (
    room_id text NOT NULL,
    event_id text NOT NULL,
    prev_event_id text NOT NULL
);


--
-- Name: syncapi_current_room_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_current_room_state (
    room_id text NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    sender text NOT NULL,
    contains_url boolean NOT NULL,
    state_key text NOT NULL,
    headered_event_json text NOT NULL,
    membership text,
    added_at bigint,
    history_visibility smallint DEFAULT 2 NOT NULL
);


--
-- Name: syncapi_filter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_filter (
    filter text NOT NULL,
    id integer NOT NULL,
    localpart text NOT NULL
);


--
-- Name: syncapi_filter_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_filter_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_filter_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.syncapi_filter_id_seq OWNED BY public.syncapi_filter.id;


--
-- Name: syncapi_ignores; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_ignores (
    user_id text NOT NULL,
    ignores_json text NOT NULL
);


--
-- Name: syncapi_invite_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_invite_events (
    id bigint DEFAULT nextval('public.syncapi_stream_id'::regclass) NOT NULL,
    event_id text NOT NULL,
    room_id text NOT NULL,
    target_user_id text NOT NULL,
    headered_event_json text NOT NULL,
    deleted boolean NOT NULL
);


--
-- Name: syncapi_memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_memberships (
    room_id text NOT NULL,
    user_id text NOT NULL,
    membership text NOT NULL,
    event_id text NOT NULL,
    stream_pos bigint NOT NULL,
    topological_pos bigint NOT NULL
);


--
-- Name: syncapi_notification_data; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_notification_data (
    id bigint NOT NULL,
    user_id text NOT NULL,
    room_id text NOT NULL,
    notification_count bigint DEFAULT 0 NOT NULL,
    highlight_count bigint DEFAULT 0 NOT NULL
);


--
-- Name: syncapi_notification_data_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_notification_data_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_notification_data_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.syncapi_notification_data_id_seq OWNED BY public.syncapi_notification_data.id;


--
-- Name: syncapi_output_room_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_output_room_events (
    id bigint DEFAULT nextval('public.syncapi_stream_id'::regclass) NOT NULL,
    event_id text NOT NULL,
    room_id text NOT NULL,
    headered_event_json text NOT NULL,
    type text NOT NULL,
    sender text NOT NULL,
    contains_url boolean NOT NULL,
    add_state_ids text[],
    remove_state_ids text[],
    session_id bigint,
    transaction_id text,
    exclude_from_sync boolean DEFAULT false,
    history_visibility smallint DEFAULT 2 NOT NULL
);


--
-- Name: syncapi_output_room_events_topology; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_output_room_events_topology (
    event_id text NOT NULL,
    topological_position bigint NOT NULL,
    stream_position bigint NOT NULL,
    room_id text NOT NULL
);


--
-- Name: syncapi_peeks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_peeks (
    id bigint DEFAULT nextval('public.syncapi_stream_id'::regclass),
    room_id text NOT NULL,
    user_id text NOT NULL,
    device_id text NOT NULL,
    deleted boolean DEFAULT false NOT NULL,
    creation_ts bigint NOT NULL
);


--
-- Name: syncapi_presence_id; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_presence_id
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_presence; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_presence (
    id bigint DEFAULT nextval('public.syncapi_presence_id'::regclass) NOT NULL,
    user_id text NOT NULL,
    presence integer NOT NULL,
    status_msg text,
    last_active_ts bigint NOT NULL
);


--
-- Name: syncapi_receipt_id; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_receipt_id
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_receipts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_receipts (
    id bigint DEFAULT nextval('public.syncapi_receipt_id'::regclass) NOT NULL,
    room_id text NOT NULL,
    receipt_type text NOT NULL,
    user_id text NOT NULL,
    event_id text NOT NULL,
    receipt_ts bigint NOT NULL
);


--
-- Name: syncapi_relation_id; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_relation_id
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_relations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_relations (
    id bigint DEFAULT nextval('public.syncapi_relation_id'::regclass) NOT NULL,
    room_id text NOT NULL,
    event_id text NOT NULL,
    child_event_id text NOT NULL,
    child_event_type text NOT NULL,
    rel_type text NOT NULL
);


--
-- Name: syncapi_send_to_device_id; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.syncapi_send_to_device_id
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: syncapi_send_to_device; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.syncapi_send_to_device (
    id bigint DEFAULT nextval('public.syncapi_send_to_device_id'::regclass) NOT NULL,
    user_id text NOT NULL,
    device_id text NOT NULL,
    content text NOT NULL
);


--
-- Name: userapi_account_datas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_account_datas (
    localpart text NOT NULL,
    server_name text NOT NULL,
    room_id text,
    type text NOT NULL,
    content text NOT NULL
);


--
-- Name: userapi_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_accounts (
    localpart text NOT NULL,
    server_name text NOT NULL,
    created_ts bigint NOT NULL,
    password_hash text,
    appservice_id text,
    is_deactivated boolean DEFAULT false,
    account_type smallint NOT NULL
);


--
-- Name: userapi_daily_stats; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_daily_stats (
    "timestamp" bigint NOT NULL,
    server_name text NOT NULL,
    messages bigint NOT NULL,
    sent_messages bigint NOT NULL,
    e2ee_messages bigint NOT NULL,
    sent_e2ee_messages bigint NOT NULL,
    active_rooms bigint NOT NULL,
    active_e2ee_rooms bigint NOT NULL
);


--
-- Name: userapi_daily_visits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_daily_visits (
    localpart text NOT NULL,
    device_id text NOT NULL,
    "timestamp" bigint NOT NULL,
    user_agent text
);


--
-- Name: userapi_device_session_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.userapi_device_session_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: userapi_devices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_devices (
    access_token text NOT NULL,
    session_id bigint DEFAULT nextval('public.userapi_device_session_id_seq'::regclass) NOT NULL,
    device_id text NOT NULL,
    localpart text NOT NULL,
    server_name text NOT NULL,
    created_ts bigint NOT NULL,
    display_name text,
    last_seen_ts bigint NOT NULL,
    ip text,
    user_agent text
);


--
-- Name: userapi_key_backup_versions_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.userapi_key_backup_versions_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: userapi_key_backup_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_key_backup_versions (
    user_id text NOT NULL,
    version bigint DEFAULT nextval('public.userapi_key_backup_versions_seq'::regclass),
    algorithm text NOT NULL,
    auth_data text NOT NULL,
    etag text NOT NULL,
    deleted smallint DEFAULT 0 NOT NULL
);


--
-- Name: userapi_key_backups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_key_backups (
    user_id text NOT NULL,
    room_id text NOT NULL,
    session_id text NOT NULL,
    version text NOT NULL,
    first_message_index integer NOT NULL,
    forwarded_count integer NOT NULL,
    is_verified boolean NOT NULL,
    session_data text NOT NULL
);


--
-- Name: userapi_login_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_login_tokens (
    token text NOT NULL,
    token_expires_at timestamp without time zone NOT NULL,
    user_id text NOT NULL
);


--
-- Name: userapi_notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_notifications (
    id bigint NOT NULL,
    localpart text NOT NULL,
    server_name text NOT NULL,
    room_id text NOT NULL,
    event_id text NOT NULL,
    stream_pos bigint NOT NULL,
    ts_ms bigint NOT NULL,
    highlight boolean NOT NULL,
    notification_json text NOT NULL,
    read boolean DEFAULT false NOT NULL
);


--
-- Name: userapi_notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.userapi_notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: userapi_notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.userapi_notifications_id_seq OWNED BY public.userapi_notifications.id;


--
-- Name: userapi_openid_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_openid_tokens (
    token text NOT NULL,
    localpart text NOT NULL,
    server_name text NOT NULL,
    token_expires_at_ms bigint NOT NULL
);


--
-- Name: userapi_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_profiles (
    localpart text NOT NULL,
    server_name text NOT NULL,
    display_name text,
    avatar_url text
);


--
-- Name: userapi_pushers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_pushers (
    id bigint NOT NULL,
    localpart text NOT NULL,
    server_name text NOT NULL,
    session_id bigint,
    profile_tag text,
    kind text NOT NULL,
    app_id text NOT NULL,
    app_display_name text NOT NULL,
    device_display_name text NOT NULL,
    pushkey text NOT NULL,
    pushkey_ts_ms bigint DEFAULT 0 NOT NULL,
    lang text NOT NULL,
    data text NOT NULL
);


--
-- Name: userapi_pushers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.userapi_pushers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: userapi_pushers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.userapi_pushers_id_seq OWNED BY public.userapi_pushers.id;


--
-- Name: userapi_registration_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_registration_tokens (
    token text NOT NULL,
    pending bigint,
    completed bigint,
    uses_allowed bigint,
    expiry_time bigint
);


--
-- Name: userapi_threepids; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.userapi_threepids (
    threepid text NOT NULL,
    medium text DEFAULT 'email'::text NOT NULL,
    localpart text NOT NULL,
    server_name text NOT NULL
);


--
-- Name: federationsender_queue_json json_nid; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_queue_json ALTER COLUMN json_nid SET DEFAULT nextval('public.federationsender_queue_json_json_nid_seq'::regclass);


--
-- Name: syncapi_filter id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_filter ALTER COLUMN id SET DEFAULT nextval('public.syncapi_filter_id_seq'::regclass);


--
-- Name: syncapi_notification_data id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_notification_data ALTER COLUMN id SET DEFAULT nextval('public.syncapi_notification_data_id_seq'::regclass);


--
-- Name: userapi_notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_notifications ALTER COLUMN id SET DEFAULT nextval('public.userapi_notifications_id_seq'::regclass);


--
-- Name: userapi_pushers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_pushers ALTER COLUMN id SET DEFAULT nextval('public.userapi_pushers_id_seq'::regclass);


--
-- Name: userapi_daily_stats daily_stats_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_daily_stats
    ADD CONSTRAINT daily_stats_unique UNIQUE ("timestamp", server_name);


--
-- Name: db_migrations db_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.db_migrations
    ADD CONSTRAINT db_migrations_pkey PRIMARY KEY (version);


--
-- Name: federationsender_assumed_offline federationsender_assumed_offline_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_assumed_offline
    ADD CONSTRAINT federationsender_assumed_offline_pkey PRIMARY KEY (server_name);


--
-- Name: federationsender_blacklist federationsender_blacklist_server_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_blacklist
    ADD CONSTRAINT federationsender_blacklist_server_name_key UNIQUE (server_name);


--
-- Name: federationsender_inbound_peeks federationsender_inbound_peeks_room_id_server_name_peek_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_inbound_peeks
    ADD CONSTRAINT federationsender_inbound_peeks_room_id_server_name_peek_id_key UNIQUE (room_id, server_name, peek_id);


--
-- Name: federationsender_notary_server_keys_json federationsender_notary_server_keys_json_pkey1; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_notary_server_keys_json
    ADD CONSTRAINT federationsender_notary_server_keys_json_pkey1 PRIMARY KEY (notary_id);


--
-- Name: federationsender_notary_server_keys_metadata federationsender_notary_server_keys_meta_server_name_key_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_notary_server_keys_metadata
    ADD CONSTRAINT federationsender_notary_server_keys_meta_server_name_key_id_key UNIQUE (server_name, key_id);


--
-- Name: federationsender_outbound_peeks federationsender_outbound_peeks_room_id_server_name_peek_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_outbound_peeks
    ADD CONSTRAINT federationsender_outbound_peeks_room_id_server_name_peek_id_key UNIQUE (room_id, server_name, peek_id);


--
-- Name: federationsender_relay_servers federationsender_relay_server_server_name_relay_server_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.federationsender_relay_servers
    ADD CONSTRAINT federationsender_relay_server_server_name_relay_server_name_key UNIQUE (server_name, relay_server_name);


--
-- Name: keydb_server_keys keydb_server_keys_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keydb_server_keys
    ADD CONSTRAINT keydb_server_keys_unique UNIQUE (server_name, server_key_id);


--
-- Name: keyserver_cross_signing_keys keyserver_cross_signing_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_cross_signing_keys
    ADD CONSTRAINT keyserver_cross_signing_keys_pkey PRIMARY KEY (user_id, key_type);


--
-- Name: keyserver_cross_signing_sigs keyserver_cross_signing_sigs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_cross_signing_sigs
    ADD CONSTRAINT keyserver_cross_signing_sigs_pkey PRIMARY KEY (origin_user_id, origin_key_id, target_user_id, target_key_id);


--
-- Name: keyserver_device_keys keyserver_device_keys_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_device_keys
    ADD CONSTRAINT keyserver_device_keys_unique UNIQUE (user_id, device_id);


--
-- Name: keyserver_fallback_keys keyserver_fallback_keys_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_fallback_keys
    ADD CONSTRAINT keyserver_fallback_keys_unique UNIQUE (user_id, device_id, algorithm);


--
-- Name: keyserver_key_changes keyserver_key_changes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_key_changes
    ADD CONSTRAINT keyserver_key_changes_pkey PRIMARY KEY (change_id);


--
-- Name: keyserver_key_changes keyserver_key_changes_unique_per_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_key_changes
    ADD CONSTRAINT keyserver_key_changes_unique_per_user UNIQUE (user_id);


--
-- Name: keyserver_one_time_keys keyserver_one_time_keys_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_one_time_keys
    ADD CONSTRAINT keyserver_one_time_keys_unique UNIQUE (user_id, device_id, key_id, algorithm);


--
-- Name: keyserver_stale_device_lists keyserver_stale_device_lists_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.keyserver_stale_device_lists
    ADD CONSTRAINT keyserver_stale_device_lists_pkey PRIMARY KEY (user_id);


--
-- Name: syncapi_presence presence_presences_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_presence
    ADD CONSTRAINT presence_presences_unique UNIQUE (user_id);


--
-- Name: roomserver_events roomserver_event_id_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_events
    ADD CONSTRAINT roomserver_event_id_unique UNIQUE (event_id);


--
-- Name: roomserver_event_json roomserver_event_json_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_event_json
    ADD CONSTRAINT roomserver_event_json_pkey PRIMARY KEY (event_nid);


--
-- Name: roomserver_event_state_keys roomserver_event_state_key_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_event_state_keys
    ADD CONSTRAINT roomserver_event_state_key_unique UNIQUE (event_state_key);


--
-- Name: roomserver_event_state_keys roomserver_event_state_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_event_state_keys
    ADD CONSTRAINT roomserver_event_state_keys_pkey PRIMARY KEY (event_state_key_nid);


--
-- Name: roomserver_event_types roomserver_event_type_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_event_types
    ADD CONSTRAINT roomserver_event_type_unique UNIQUE (event_type);


--
-- Name: roomserver_event_types roomserver_event_types_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_event_types
    ADD CONSTRAINT roomserver_event_types_pkey PRIMARY KEY (event_type_nid);


--
-- Name: roomserver_events roomserver_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_events
    ADD CONSTRAINT roomserver_events_pkey PRIMARY KEY (event_nid);


--
-- Name: roomserver_invites roomserver_invites_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_invites
    ADD CONSTRAINT roomserver_invites_pkey PRIMARY KEY (invite_event_id);


--
-- Name: roomserver_membership roomserver_membership_room_nid_target_nid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_membership
    ADD CONSTRAINT roomserver_membership_room_nid_target_nid_key UNIQUE (room_nid, target_nid);


--
-- Name: roomserver_previous_events roomserver_previous_event_id_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_previous_events
    ADD CONSTRAINT roomserver_previous_event_id_unique UNIQUE (previous_event_id);


--
-- Name: roomserver_published roomserver_published_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_published
    ADD CONSTRAINT roomserver_published_pkey PRIMARY KEY (room_id, appservice_id, network_id);


--
-- Name: roomserver_redactions roomserver_redactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_redactions
    ADD CONSTRAINT roomserver_redactions_pkey PRIMARY KEY (redaction_event_id);


--
-- Name: roomserver_reported_events roomserver_reported_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_reported_events
    ADD CONSTRAINT roomserver_reported_events_pkey PRIMARY KEY (id);


--
-- Name: roomserver_room_aliases roomserver_room_aliases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_room_aliases
    ADD CONSTRAINT roomserver_room_aliases_pkey PRIMARY KEY (alias);


--
-- Name: roomserver_rooms roomserver_room_id_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_rooms
    ADD CONSTRAINT roomserver_room_id_unique UNIQUE (room_id);


--
-- Name: roomserver_rooms roomserver_rooms_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_rooms
    ADD CONSTRAINT roomserver_rooms_pkey PRIMARY KEY (room_nid);


--
-- Name: roomserver_state_block roomserver_state_block_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_state_block
    ADD CONSTRAINT roomserver_state_block_pkey PRIMARY KEY (state_block_nid);


--
-- Name: roomserver_state_block roomserver_state_block_state_block_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_state_block
    ADD CONSTRAINT roomserver_state_block_state_block_hash_key UNIQUE (state_block_hash);


--
-- Name: roomserver_state_snapshots roomserver_state_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_state_snapshots
    ADD CONSTRAINT roomserver_state_snapshots_pkey PRIMARY KEY (state_snapshot_nid);


--
-- Name: roomserver_state_snapshots roomserver_state_snapshots_state_snapshot_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_state_snapshots
    ADD CONSTRAINT roomserver_state_snapshots_state_snapshot_hash_key UNIQUE (state_snapshot_hash);


--
-- Name: roomserver_user_room_keys roomserver_user_room_keys_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roomserver_user_room_keys
    ADD CONSTRAINT roomserver_user_room_keys_pk PRIMARY KEY (user_nid, room_nid);


--
-- Name: syncapi_account_data_type syncapi_account_data_type_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_account_data_type
    ADD CONSTRAINT syncapi_account_data_type_pkey PRIMARY KEY (id);


--
-- Name: syncapi_account_data_type syncapi_account_data_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_account_data_type
    ADD CONSTRAINT syncapi_account_data_unique UNIQUE (user_id, room_id, type);


--
-- Name: syncapi_backward_extremities syncapi_backward_extremities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_backward_extremities
    ADD CONSTRAINT syncapi_backward_extremities_pkey PRIMARY KEY (room_id, event_id, prev_event_id);


--
-- Name: syncapi_filter syncapi_filter_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_filter
    ADD CONSTRAINT syncapi_filter_id_key UNIQUE (id);


--
-- Name: syncapi_filter syncapi_filter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_filter
    ADD CONSTRAINT syncapi_filter_pkey PRIMARY KEY (id, localpart);


--
-- Name: syncapi_ignores syncapi_ignores_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_ignores
    ADD CONSTRAINT syncapi_ignores_pkey PRIMARY KEY (user_id);


--
-- Name: syncapi_invite_events syncapi_invite_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_invite_events
    ADD CONSTRAINT syncapi_invite_events_pkey PRIMARY KEY (id);


--
-- Name: syncapi_memberships syncapi_memberships_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_memberships
    ADD CONSTRAINT syncapi_memberships_unique UNIQUE (room_id, user_id, membership);


--
-- Name: syncapi_notification_data syncapi_notification_data_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_notification_data
    ADD CONSTRAINT syncapi_notification_data_pkey PRIMARY KEY (id);


--
-- Name: syncapi_notification_data syncapi_notification_data_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_notification_data
    ADD CONSTRAINT syncapi_notification_data_unique UNIQUE (user_id, room_id);


--
-- Name: syncapi_output_room_events syncapi_output_room_event_id_idx; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_output_room_events
    ADD CONSTRAINT syncapi_output_room_event_id_idx UNIQUE (event_id);


--
-- Name: syncapi_output_room_events syncapi_output_room_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_output_room_events
    ADD CONSTRAINT syncapi_output_room_events_pkey PRIMARY KEY (id);


--
-- Name: syncapi_output_room_events_topology syncapi_output_room_events_topology_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_output_room_events_topology
    ADD CONSTRAINT syncapi_output_room_events_topology_pkey PRIMARY KEY (event_id);


--
-- Name: syncapi_peeks syncapi_peeks_room_id_user_id_device_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_peeks
    ADD CONSTRAINT syncapi_peeks_room_id_user_id_device_id_key UNIQUE (room_id, user_id, device_id);


--
-- Name: syncapi_presence syncapi_presence_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_presence
    ADD CONSTRAINT syncapi_presence_pkey PRIMARY KEY (id);


--
-- Name: syncapi_receipts syncapi_receipts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_receipts
    ADD CONSTRAINT syncapi_receipts_pkey PRIMARY KEY (id);


--
-- Name: syncapi_receipts syncapi_receipts_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_receipts
    ADD CONSTRAINT syncapi_receipts_unique UNIQUE (room_id, receipt_type, user_id);


--
-- Name: syncapi_relations syncapi_relations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_relations
    ADD CONSTRAINT syncapi_relations_pkey PRIMARY KEY (id);


--
-- Name: syncapi_relations syncapi_relations_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_relations
    ADD CONSTRAINT syncapi_relations_unique UNIQUE (room_id, event_id, child_event_id, rel_type);


--
-- Name: syncapi_current_room_state syncapi_room_state_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_current_room_state
    ADD CONSTRAINT syncapi_room_state_unique UNIQUE (room_id, type, state_key);


--
-- Name: syncapi_send_to_device syncapi_send_to_device_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.syncapi_send_to_device
    ADD CONSTRAINT syncapi_send_to_device_pkey PRIMARY KEY (id);


--
-- Name: userapi_devices userapi_devices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_devices
    ADD CONSTRAINT userapi_devices_pkey PRIMARY KEY (access_token);


--
-- Name: userapi_login_tokens userapi_login_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_login_tokens
    ADD CONSTRAINT userapi_login_tokens_pkey PRIMARY KEY (token);


--
-- Name: userapi_notifications userapi_notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_notifications
    ADD CONSTRAINT userapi_notifications_pkey PRIMARY KEY (id);


--
-- Name: userapi_openid_tokens userapi_openid_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_openid_tokens
    ADD CONSTRAINT userapi_openid_tokens_pkey PRIMARY KEY (token);


--
-- Name: userapi_pushers userapi_pushers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_pushers
    ADD CONSTRAINT userapi_pushers_pkey PRIMARY KEY (id);


--
-- Name: userapi_registration_tokens userapi_registration_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_registration_tokens
    ADD CONSTRAINT userapi_registration_tokens_pkey PRIMARY KEY (token);


--
-- Name: userapi_threepids userapi_threepids_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.userapi_threepids
    ADD CONSTRAINT userapi_threepids_pkey PRIMARY KEY (threepid, medium);


--
-- Name: federationsender_queue_edus_json_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX federationsender_queue_edus_json_nid_idx ON public.federationsender_queue_edus USING btree (json_nid, server_name);


--
-- Name: federationsender_queue_edus_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federationsender_queue_edus_nid_idx ON public.federationsender_queue_edus USING btree (json_nid);


--
-- Name: federationsender_queue_edus_server_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federationsender_queue_edus_server_name_idx ON public.federationsender_queue_edus USING btree (server_name);


--
-- Name: federationsender_queue_json_json_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX federationsender_queue_json_json_nid_idx ON public.federationsender_queue_json USING btree (json_nid);


--
-- Name: federationsender_queue_pdus_json_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federationsender_queue_pdus_json_nid_idx ON public.federationsender_queue_pdus USING btree (json_nid);


--
-- Name: federationsender_queue_pdus_pdus_json_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX federationsender_queue_pdus_pdus_json_nid_idx ON public.federationsender_queue_pdus USING btree (json_nid, server_name);


--
-- Name: federationsender_queue_pdus_server_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federationsender_queue_pdus_server_name_idx ON public.federationsender_queue_pdus USING btree (server_name);


--
-- Name: federationsender_relay_servers_server_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federationsender_relay_servers_server_name_idx ON public.federationsender_relay_servers USING btree (server_name);


--
-- Name: federatonsender_joined_hosts_event_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX federatonsender_joined_hosts_event_id_idx ON public.federationsender_joined_hosts USING btree (event_id);


--
-- Name: federatonsender_joined_hosts_room_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX federatonsender_joined_hosts_room_id_idx ON public.federationsender_joined_hosts USING btree (room_id);


--
-- Name: keydb_server_name_and_key_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX keydb_server_name_and_key_id ON public.keydb_server_keys USING btree (server_name_and_key_id);


--
-- Name: keyserver_cross_signing_sigs_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX keyserver_cross_signing_sigs_idx ON public.keyserver_cross_signing_sigs USING btree (origin_user_id, target_user_id, target_key_id);


--
-- Name: keyserver_fallback_keys_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX keyserver_fallback_keys_idx ON public.keyserver_fallback_keys USING btree (user_id, device_id);


--
-- Name: keyserver_one_time_keys_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX keyserver_one_time_keys_idx ON public.keyserver_one_time_keys USING btree (user_id, device_id);


--
-- Name: keyserver_stale_device_lists_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX keyserver_stale_device_lists_idx ON public.keyserver_stale_device_lists USING btree (domain, is_stale);


--
-- Name: mediaapi_media_repository_index; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX mediaapi_media_repository_index ON public.mediaapi_media_repository USING btree (media_id, media_origin);


--
-- Name: mediaapi_thumbnail_index; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX mediaapi_thumbnail_index ON public.mediaapi_thumbnail USING btree (media_id, media_origin, width, height, resize_method);


--
-- Name: roomserver_event_event_type_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_event_event_type_nid_idx ON public.roomserver_events USING btree (event_type_nid);


--
-- Name: roomserver_event_state_key_nid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_event_state_key_nid_idx ON public.roomserver_events USING btree (event_state_key_nid);


--
-- Name: roomserver_events_memberships_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_events_memberships_idx ON public.roomserver_events USING btree (room_nid, event_state_key_nid) WHERE (event_type_nid = 5);


--
-- Name: roomserver_invites_active_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_invites_active_idx ON public.roomserver_invites USING btree (target_nid, room_nid) WHERE (NOT retired);


--
-- Name: roomserver_redactions_redacts_event_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_redactions_redacts_event_id ON public.roomserver_redactions USING btree (redacts_event_id);


--
-- Name: roomserver_room_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roomserver_room_id_idx ON public.roomserver_room_aliases USING btree (room_id);


--
-- Name: syncapi_account_data_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX syncapi_account_data_id_idx ON public.syncapi_account_data_type USING btree (id, type);


--
-- Name: syncapi_current_room_state_eventid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX syncapi_current_room_state_eventid_idx ON public.syncapi_current_room_state USING btree (event_id);


--
-- Name: syncapi_current_room_state_type_state_key_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_current_room_state_type_state_key_idx ON public.syncapi_current_room_state USING btree (type, state_key);


--
-- Name: syncapi_event_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX syncapi_event_id_idx ON public.syncapi_current_room_state USING btree (event_id, room_id, type, sender, contains_url);


--
-- Name: syncapi_event_topological_position_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX syncapi_event_topological_position_idx ON public.syncapi_output_room_events_topology USING btree (topological_position, stream_position, room_id);


--
-- Name: syncapi_filter_localpart; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_filter_localpart ON public.syncapi_filter USING btree (localpart);


--
-- Name: syncapi_invites_event_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_invites_event_id_idx ON public.syncapi_invite_events USING btree (event_id);


--
-- Name: syncapi_invites_target_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_invites_target_user_id_idx ON public.syncapi_invite_events USING btree (target_user_id, id);


--
-- Name: syncapi_membership_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_membership_idx ON public.syncapi_current_room_state USING btree (type, state_key, membership) WHERE ((membership IS NOT NULL) AND (membership <> 'leave'::text));


--
-- Name: syncapi_output_room_events_add_state_ids_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_add_state_ids_idx ON public.syncapi_output_room_events USING btree (((add_state_ids IS NOT NULL)));


--
-- Name: syncapi_output_room_events_exclude_from_sync_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_exclude_from_sync_idx ON public.syncapi_output_room_events USING btree (exclude_from_sync);


--
-- Name: syncapi_output_room_events_recent_events_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_recent_events_idx ON public.syncapi_output_room_events USING btree (room_id, exclude_from_sync, id, sender, type);


--
-- Name: syncapi_output_room_events_remove_state_ids_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_remove_state_ids_idx ON public.syncapi_output_room_events USING btree (((remove_state_ids IS NOT NULL)));


--
-- Name: syncapi_output_room_events_room_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_room_id_idx ON public.syncapi_output_room_events USING btree (room_id);


--
-- Name: syncapi_output_room_events_sender_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_sender_idx ON public.syncapi_output_room_events USING btree (sender);


--
-- Name: syncapi_output_room_events_type_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_output_room_events_type_idx ON public.syncapi_output_room_events USING btree (type);


--
-- Name: syncapi_peeks_room_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_peeks_room_id_idx ON public.syncapi_peeks USING btree (room_id);


--
-- Name: syncapi_peeks_user_id_device_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_peeks_user_id_device_id_idx ON public.syncapi_peeks USING btree (user_id, device_id);


--
-- Name: syncapi_presence_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_presence_user_id ON public.syncapi_presence USING btree (user_id);


--
-- Name: syncapi_receipts_room_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_receipts_room_id ON public.syncapi_receipts USING btree (room_id);


--
-- Name: syncapi_send_to_device_user_id_device_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX syncapi_send_to_device_user_id_device_id_idx ON public.syncapi_send_to_device USING btree (user_id, device_id);


--
-- Name: userapi_account_datas_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_account_datas_idx ON public.userapi_account_datas USING btree (localpart, server_name, room_id, type);


--
-- Name: userapi_accounts_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_accounts_idx ON public.userapi_accounts USING btree (localpart, server_name);


--
-- Name: userapi_daily_visits_localpart_device_timestamp_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_daily_visits_localpart_device_timestamp_idx ON public.userapi_daily_visits USING btree (localpart, device_id, "timestamp");


--
-- Name: userapi_daily_visits_localpart_timestamp_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_daily_visits_localpart_timestamp_idx ON public.userapi_daily_visits USING btree (localpart, "timestamp");


--
-- Name: userapi_daily_visits_timestamp_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_daily_visits_timestamp_idx ON public.userapi_daily_visits USING btree ("timestamp");


--
-- Name: userapi_device_localpart_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_device_localpart_id_idx ON public.userapi_devices USING btree (localpart, server_name, device_id);


--
-- Name: userapi_key_backup_versions_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_key_backup_versions_idx ON public.userapi_key_backup_versions USING btree (user_id, version);


--
-- Name: userapi_key_backups_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_key_backups_idx ON public.userapi_key_backups USING btree (user_id, room_id, session_id, version);


--
-- Name: userapi_key_backups_versions_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_key_backups_versions_idx ON public.userapi_key_backups USING btree (user_id, version);


--
-- Name: userapi_login_tokens_expiration_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_login_tokens_expiration_idx ON public.userapi_login_tokens USING btree (token_expires_at);


--
-- Name: userapi_notification_localpart_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_notification_localpart_id_idx ON public.userapi_notifications USING btree (localpart, server_name, id);


--
-- Name: userapi_notification_localpart_room_id_event_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_notification_localpart_room_id_event_id_idx ON public.userapi_notifications USING btree (localpart, server_name, room_id, event_id);


--
-- Name: userapi_notification_localpart_room_id_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_notification_localpart_room_id_id_idx ON public.userapi_notifications USING btree (localpart, server_name, room_id, id);


--
-- Name: userapi_profiles_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_profiles_idx ON public.userapi_profiles USING btree (localpart, server_name);


--
-- Name: userapi_pusher_app_id_pushkey_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_pusher_app_id_pushkey_idx ON public.userapi_pushers USING btree (app_id, pushkey);


--
-- Name: userapi_pusher_app_id_pushkey_localpart_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX userapi_pusher_app_id_pushkey_localpart_idx ON public.userapi_pushers USING btree (app_id, pushkey, localpart, server_name);


--
-- Name: userapi_pusher_localpart_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_pusher_localpart_idx ON public.userapi_pushers USING btree (localpart, server_name);


--
-- Name: userapi_threepid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX userapi_threepid_idx ON public.userapi_threepids USING btree (localpart, server_name);


--
-- PostgreSQL database dump complete
--


INSERT INTO public.db_migrations VALUES ('roomserver: drop column reference_sha from roomserver_events', '2026-11-27T16:58:41Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('roomserver: drop column reference_sha from roomserver_prev_events', '2026-11-27T16:58:41Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('roomserver: add forgotten column', '2026-11-27T16:58:41Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('roomserver: published appservice', '2026-11-27T16:58:41Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('roomserver: published appservice pkey', '2026-11-27T16:58:41Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('roomserver: state blocks refactor', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('federationapi: add expiresat column', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('federationsender: drop federationsender_rooms', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: rename tables', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: server names', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: add is active', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: add account type', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: add last_seen_ts', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('userapi: server names populate', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('keyserver: refactor key changes', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('keyserver: cross signing signature indexes', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: rename dupe index (output_room_events)', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: add history visibility column (output_room_events)', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: add history visibility column (current_room_state)', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: drop sent_by_token', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: fix sequences', '2026-11-27T16:58:42Z', '0.15.2');
INSERT INTO public.db_migrations VALUES ('syncapi: set history visibility for existing events', '2026-11-27T16:58:43Z', '0.15.2');
INSERT INTO public.roomserver_event_state_keys VALUES (1, '');
INSERT INTO public.roomserver_event_types VALUES (1, 'm.room.create');
INSERT INTO public.roomserver_event_types VALUES (2, 'm.room.power_levels');
INSERT INTO public.roomserver_event_types VALUES (3, 'm.room.join_rules');
INSERT INTO public.roomserver_event_types VALUES (4, 'm.room.third_party_invite');
INSERT INTO public.roomserver_event_types VALUES (5, 'm.room.member');
INSERT INTO public.roomserver_event_types VALUES (6, 'm.room.redaction');
INSERT INTO public.roomserver_event_types VALUES (7, 'm.room.history_visibility');
INSERT INTO public.roomserver_event_types VALUES (65536, 'm.room.server_acl');
