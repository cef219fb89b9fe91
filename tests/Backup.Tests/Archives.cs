using System.Security.Cryptography;
using DendriteAspire.Backup.Archive;
using Microsoft.Data.Sqlite;

namespace DendriteAspire.Backup.Tests;

/// <summary>Builds small archives in a temporary directory, the way <c>ServerBackup</c> writes them.</summary>
internal sealed class Archives : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>Low so tests run fast; the format stores the count, so readers use whatever the header says.</summary>
    public const int TestIterations = 1000;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("dendriteaspire-backup-tests-").FullName;

    public static BackupManifest Draft(string release = "v0.15.2", DateTimeOffset? takenAt = null, string reason = BackupReasons.Manual) => new()
    {
        ServerName = "family.example",
        DatabaseProvider = "Sqlite",
        Release = release,
        TakenAt = takenAt ?? new DateTimeOffset(2026, 12, 5, 4, 30, 0, TimeSpan.Zero),
        Reason = reason,
        ContainsSigningKey = true,
    };

    /// <summary>A SQLite database with Dendrite's db_migrations table and a few rows of data.</summary>
    public string Database(string name, params (string Version, string DendriteVersion)[] migrations)
    {
        var path = Path.Combine(Directory, name + ".db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE db_migrations (version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
                CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT);
                INSERT INTO events (body) VALUES ('hello'), ('world');
                """;
            create.ExecuteNonQuery();
            foreach (var (version, dendrite) in migrations)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO db_migrations VALUES ($v, '2026-01-01T00:00:00Z', $d)";
                insert.Parameters.AddWithValue("$v", version);
                insert.Parameters.AddWithValue("$d", dendrite);
                insert.ExecuteNonQuery();
            }
        }

        return path;
    }

    /// <summary>An archive like a real one: a database, media, the key; its manifest lists the database's migrations.</summary>
    public async Task<(string Path, BackupManifest Manifest, byte[] Media)> WriteAsync(string? passphrase, string release = "v0.15.2",
        IReadOnlyList<(string Version, string DendriteVersion)>? migrations = null, int mediaBytes = 300_000, string? name = null)
    {
        migrations ??= [("roomserver: add redacted column", "0.15.2")];
        var database = Database("roomserver-" + Guid.NewGuid().ToString("N")[..6], [.. migrations]);
        var media = RandomNumberGenerator.GetBytes(mediaBytes);
        var draft = Draft(release) with
        {
            Migrations = new(StringComparer.Ordinal) { ["roomserver"] = SqliteSnapshot.Migrations(database) },
        };
        var path = Path.Combine(Directory, name ?? ArchiveName.For(draft, passphrase is not null));
        BackupManifest manifest;
        await using (var writer = BackupArchiveWriter.Create(path, passphrase, iterations: TestIterations))
        {
            await writer.AddBytesAsync(ArchiveLayout.Settings, "{}"u8.ToArray(), 0b110_100_100, draft.TakenAt, default);
            await writer.AddLocalFileAsync(ArchiveLayout.VolumeFile("sqlite", "roomserver.db"), database, 0b110_100_100, default);
            await writer.AddBytesAsync(ArchiveLayout.VolumeFile("media", "ab/cd/file"), media, 0b110_100_100, draft.TakenAt, default);
            await writer.AddBytesAsync(ArchiveLayout.VolumeFile("storage-keys", "matrix_key.pem"), "-----BEGIN MATRIX PRIVATE KEY-----\nKey-ID: ed25519:a\n"u8.ToArray(),
                0b100_000_000, draft.TakenAt, default);
            manifest = await writer.CompleteAsync(draft, default);
        }

        return (path, manifest, media);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
