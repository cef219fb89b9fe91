using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Invites;

/// <summary>
/// This service's record of the invites it made, in <c>invites.db</c> on the data volume. Only for the admin page:
/// a link's validity comes from its signature and from Dendrite, never from this file.
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
                joined_at INTEGER
            )
            """;
        command.ExecuteNonQuery();
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
            SELECT nonce, user_name, display_name, invited_by, created_at, expires_at, joined_at
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
                reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(6))));
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
    DateTimeOffset? JoinedAt)
{
    /// <summary>Pending, used or expired, as of <paramref name="now"/>; <paramref name="nameTaken"/> says the account exists.</summary>
    public string State(DateTimeOffset now, bool nameTaken) =>
        JoinedAt is not null || nameTaken ? "used"
        : ExpiresAt <= now ? "expired"
        : "pending";

    /// <summary>For display.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
