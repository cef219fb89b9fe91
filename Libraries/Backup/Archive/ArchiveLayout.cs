namespace DendriteAspire.Backup.Archive;

/// <summary>Where things are inside an archive's tar. Documented in the README ("What a backup holds").</summary>
public static class ArchiveLayout
{
    /// <summary><c>volumes/&lt;volume&gt;/...</c>: the contents of Dendrite's named volumes (sqlite, media, storage-keys, jetstream).</summary>
    public const string VolumesDirectory = "volumes/";

    /// <summary>The custom-format <c>pg_dump</c> of the <c>dendrite</c> database (Postgres mode).</summary>
    public const string PostgresDump = "postgres/dendrite.dump";

    /// <summary><c>pg_dumpall --roles-only</c>: the roles and their password hashes, so the old password keeps working.</summary>
    public const string PostgresRoles = "postgres/roles.sql";

    /// <summary>The onboarding service's invite list.</summary>
    public const string Invites = "onboarding/invites.db";

    /// <summary>The settings that shape the server (server name, database provider, release).</summary>
    public const string Settings = "settings.json";

    /// <summary><c>secrets/&lt;parameter&gt;</c>: secret parameter values, only when asked for.</summary>
    public const string SecretsDirectory = "secrets/";

    /// <summary>Always the last entry.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>The archive path of a file on a volume.</summary>
    public static string VolumeFile(string volume, string relativePath) => $"{VolumesDirectory}{volume}/{relativePath.TrimStart('/')}";

    /// <summary>The volume an archive path belongs to, and the path inside it; null for anything else.</summary>
    public static (string Volume, string Path)? SplitVolumeFile(string archivePath)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        if (!archivePath.StartsWith(VolumesDirectory, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = archivePath[VolumesDirectory.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == rest.Length - 1 ? null : (rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>
    /// An entry name is safe when it is relative, uses '/', and has no empty, '.' or '..' segment: an archive is
    /// hostile input and must never write outside its target.
    /// </summary>
    public static bool IsSafePath(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 4096 || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        return path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
    }
}
