using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Invites;

/// <summary>
/// This service's record of the invites it made, in <c>invites.db</c> on the data volume. A link's validity comes
/// from its signature and from Dendrite; this file adds only the admin's revocation of a single pending link (lost
/// with the volume: rotate the invite secret to revoke every link at once).
/// </summary>
public sealed class InviteStore
{
    private readonly string _connectionString;

    /// <summary>Opens (and on first use creates) the database in <see cref="OnboardingOptions.DataDirectory"/>.</summary>
    public InviteStore(IOptions<OnboardingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "invites.db") }.ToString();

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS invites (
                nonce TEXT PRIMARY KEY,
                user_name TEXT NOT NULL,
                display_name TEXT,
                invited_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                joined_at INTEGER,
                revoked_at INTEGER
            )
            """;
        command.ExecuteNonQuery();

        // Files written before revocation existed have no revoked_at column yet.
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('invites') WHERE name = 'revoked_at'";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            command.CommandText = "ALTER TABLE invites ADD COLUMN revoked_at INTEGER";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Revokes the pending invite with this nonce, so its link stops working; false when there is no such invite or it
    /// was used or revoked already.
    /// </summary>
    public async Task<bool> RevokeAsync(string nonce, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE invites SET revoked_at = $revoked WHERE nonce = $nonce AND joined_at IS NULL AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$nonce", nonce);
        command.Parameters.AddWithValue("$revoked", revokedAt.ToUnixTimeSeconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Whether the invite with this nonce was revoked.</summary>
    public async Task<bool> IsRevokedAsync(string nonce, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM invites WHERE nonce = $nonce AND revoked_at IS NOT NULL";
        command.Parameters.AddWithValue("$nonce", nonce);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Records a new invite.</summary>
    public async Task AddAsync(InviteToken invite, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO invites (nonce, user_name, display_name, invited_by, created_at, expires_at)
            VALUES ($nonce, $user, $display, $by, $created, $expires)
            """;
        command.Parameters.AddWithValue("$nonce", invite.Nonce);
        command.Parameters.AddWithValue("$user", invite.UserName);
        command.Parameters.AddWithValue("$display", (object?)invite.DisplayName ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", invite.InvitedBy);
        command.Parameters.AddWithValue("$created", createdAt.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$expires", invite.ExpiresAt.ToUnixTimeSeconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the invite with this nonce as used (the account now exists).</summary>
    public async Task MarkJoinedAsync(string nonce, DateTimeOffset joinedAt, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE invites SET joined_at = $joined WHERE nonce = $nonce AND joined_at IS NULL";
        command.Parameters.AddWithValue("$nonce", nonce);
        command.Parameters.AddWithValue("$joined", joinedAt.ToUnixTimeSeconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest invites first.</summary>
    public async Task<IReadOnlyList<InviteRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT nonce, user_name, display_name, invited_by, created_at, expires_at, joined_at, revoked_at
            FROM invites ORDER BY created_at DESC, user_name LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        var records = new List<InviteRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new InviteRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(7))));
        }

        return records;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}

/// <summary>One invite as this service remembers it.</summary>
public sealed record InviteRecord(
    string Nonce,
    string UserName,
    string? DisplayName,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? JoinedAt,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Pending, used, revoked or expired, as of <paramref name="now"/>; <paramref name="nameTaken"/> says the account exists.</summary>
    public string State(DateTimeOffset now, bool nameTaken) =>
        JoinedAt is not null || nameTaken ? "used"
        : RevokedAt is not null ? "revoked"
        : ExpiresAt <= now ? "expired"
        : "pending";

    /// <summary>For display.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
