[assembly: AssemblyFixture(typeof(DendriteAspire.AppHost.Tests.ScratchDirectories))]

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Every directory these tests write (publish outputs hold the tests' secrets) lives under one root per test run, and
/// the root is removed when the run ends, so nothing is left in the temp folder.
/// </summary>
public sealed class ScratchDirectories : IDisposable
{
    private static readonly Lazy<string> LazyRoot = new(() => Directory.CreateTempSubdirectory("dendrite-apphost-tests-").FullName);

    /// <summary>This run's root directory.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A new, empty directory under <see cref="Root"/>.</summary>
    public static string New(string prefix) => Directory.CreateDirectory(Path.Combine(Root, $"{prefix}{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        if (LazyRoot.IsValueCreated && Directory.Exists(LazyRoot.Value))
        {
            Directory.Delete(LazyRoot.Value, recursive: true);
        }
    }
}
