using System.IO.Compression;

namespace DendriteAspire.SlackImport.Export;

/// <summary>
/// The export's files, whether Slack's ZIP or its unpacked folder. Paths are '/'-separated and relative to the
/// export's root; a ZIP whose entries all sit under one top folder (zipped by hand) is read from that folder.
/// </summary>
public abstract class ExportSource : IDisposable
{
    /// <summary>The path the user gave.</summary>
    public string Location { get; }

    protected ExportSource(string location) => Location = location;

    /// <summary>Every file, as a relative path.</summary>
    public abstract IReadOnlyCollection<string> Files { get; }

    public bool Exists(string path) => Files.Contains(path);

    /// <summary>The file's bytes; a <see cref="SlackExportException"/> naming it when it cannot be read.</summary>
    public abstract byte[] ReadAllBytes(string path);

    /// <summary>Opens a ZIP or a folder; refuses anything else with a <see cref="SlackExportException"/>.</summary>
    public static ExportSource Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (Directory.Exists(location))
        {
            return new FolderSource(location);
        }

        if (!File.Exists(location))
        {
            throw new SlackExportException($"{location}: no such file or folder; give the export's ZIP as Slack wrote it, or the folder it unpacks to");
        }

        return new ZipSource(location);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    private sealed class FolderSource : ExportSource
    {
        private readonly string _root;
        private readonly HashSet<string> _files;

        public FolderSource(string root) : base(root)
        {
            _root = Path.GetFullPath(root);
            _files = new HashSet<string>(
                Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/')),
                StringComparer.Ordinal);
        }

        public override IReadOnlyCollection<string> Files => _files;

        public override byte[] ReadAllBytes(string path)
        {
            try
            {
                return File.ReadAllBytes(Path.Combine(_root, path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SlackExportException($"{Location}: cannot read {path}: {e.Message}", e);
            }
        }
    }

    private sealed class ZipSource : ExportSource
    {
        private readonly ZipArchive _zip;
        private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

        public ZipSource(string path) : base(path)
        {
            try
            {
                _zip = ZipFile.OpenRead(path);
                var entries = _zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
                var prefix = CommonTopFolder(entries.Select(e => e.FullName));
                foreach (var entry in entries)
                {
                    _entries[entry.FullName[prefix.Length..]] = entry;
                }
            }
            catch (InvalidDataException e)
            {
                throw new SlackExportException($"{path} is not a readable ZIP ({e.Message}); a Slack export is the ZIP Slack offers for download, or the folder it unpacks to. If the download was interrupted, download it again", e);
            }
        }

        public override IReadOnlyCollection<string> Files => _entries.Keys;

        public override byte[] ReadAllBytes(string path)
        {
            if (!_entries.TryGetValue(path, out var entry))
            {
                throw new SlackExportException($"{Location}: has no entry {path}");
            }

            try
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new SlackExportException($"{Location}: entry {path} is damaged ({e.Message}); the ZIP is truncated or corrupt, download the export again", e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _zip.Dispose();
            }

            base.Dispose(disposing);
        }

        private static string CommonTopFolder(IEnumerable<string> names)
        {
            var list = names.ToList();
            if (list.Count == 0 || list.Any(n => !n.Contains('/', StringComparison.Ordinal)))
            {
                return "";
            }

            var first = list[0][..(list[0].IndexOf('/', StringComparison.Ordinal) + 1)];
            return list.All(n => n.StartsWith(first, StringComparison.Ordinal)) ? first : "";
        }
    }
}
