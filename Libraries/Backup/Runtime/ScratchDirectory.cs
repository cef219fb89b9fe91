namespace DendriteAspire.Backup.Runtime;

/// <summary>The removal of a backup's or restore's scratch directory at its end.</summary>
internal static class ScratchDirectory
{
    /// <summary>
    /// Removes <paramref name="scratch"/>; a failure to (a file appearing while it goes) is retried, then only said: it
    /// must never hide how the backup or restore itself ended.
    /// </summary>
    public static void Remove(DirectoryInfo scratch, Action<string> progress)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                scratch.Refresh();
                if (scratch.Exists)
                {
                    scratch.Delete(recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3)
                {
                    progress($"could not remove the scratch directory {scratch.FullName}: {e.Message}; remove it by hand");
                    return;
                }

                Thread.Sleep(200 * attempt);
            }
        }
    }
}
