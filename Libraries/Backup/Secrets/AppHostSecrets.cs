using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Backup.Secrets;

/// <summary>
/// The AppHost's secret parameters in its user secrets (<c>~/.microsoft/usersecrets/dendrite-aspire-apphost/secrets.json</c>,
/// keys <c>Parameters:&lt;name&gt;</c>): read for a backup that is asked to hold them, written back by a restore on a
/// new machine. A value already set is never overwritten by a different one unless asked.
/// </summary>
public static class AppHostSecrets
{
    /// <summary>The AppHost's <c>UserSecretsId</c>.</summary>
    public const string UserSecretsId = "dendrite-aspire-apphost";

    /// <summary>
    /// The secret parameters a restore on a new machine needs: without the old ones the registration secret, the
    /// admin's and the family room owner's passwords and the invite links would no longer match what the data holds.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
        ["dendrite-registration-secret", "dendrite-admin-password", "onboarding-invite-secret", "onboarding-room-owner-password", "postgres-password"];

    /// <summary>Where the user secrets file is on this machine.</summary>
    public static string DefaultPath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", UserSecretsId, "secrets.json");

    /// <summary>The known secret parameters set in <paramref name="path"/> (flat <c>Parameters:x</c> keys or nested).</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        var root = Load(path);
        foreach (var name in Names)
        {
            var value = root[$"Parameters:{name}"]?.GetValue<string>() ?? (root["Parameters"] as JsonObject)?[name]?.GetValue<string>();
            if (!string.IsNullOrEmpty(value))
            {
                values[name] = value;
            }
        }

        return values;
    }

    /// <summary>
    /// The known secret parameters in a directory of one file per parameter, named after it (the cluster's backup pod
    /// gets them so, from the published Secrets); the file's content is the value, as the Secret holds it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new BackupRefusedException($"there is no secrets directory {directory}: mount the backup's secrets volume there");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path) && File.ReadAllText(path) is { Length: > 0 } value)
            {
                values[name] = value;
            }
        }

        return values.Count > 0
            ? values
            : throw new BackupRefusedException($"{directory} holds none of the secret parameters ({string.Join(", ", Names)})");
    }

    /// <summary>
    /// Writes <paramref name="secrets"/> into <paramref name="path"/>: missing ones are added; one set to another value is
    /// replaced only with <paramref name="replace"/>. Returns the names it left alone because they differ.
    /// </summary>
    public static IReadOnlyList<string> Write(string path, IReadOnlyDictionary<string, string> secrets, bool replace)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var existing = Read(path);
        var root = File.Exists(path) ? Load(path) : new JsonObject();
        var kept = new List<string>();
        foreach (var (name, value) in secrets.Where(s => Names.Contains(s.Key)))
        {
            if (existing.TryGetValue(name, out var current) && current != value && !replace)
            {
                kept.Add(name);
                continue;
            }

            (root["Parameters"] as JsonObject)?.Remove(name);
            root[$"Parameters:{name}"] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        File.WriteAllText(temporary, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
        return kept;
    }

    private static JsonObject Load(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new BackupRefusedException($"{path} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new BackupRefusedException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
