using System.Text.Json;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The Dendrite image declares <c>VOLUME /etc/dendrite</c>; each container used to leave an anonymous volume behind.
/// Ten starts of the app on the real runtime: every volume our containers mount is one of the named ones, and
/// <c>/etc/dendrite</c> is an in-memory mount, so nothing accumulates.
/// </summary>
[Trait("Category", "Live")]
public class ImageVolumeTests
{
    private const int Starts = 10;

    [Fact]
    public async Task Ten_starts_leave_no_anonymous_volume_behind()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("anonvol");
        var mounted = new HashSet<string>(StringComparer.Ordinal);
        var tmpfs = 0;
        try
        {
            for (var start = 0; start < Starts; start++)
            {
                await using var app = await DendriteApp.StartAsync(runtime, prefix, ["--Dendrite:Client:Enabled=false"], ct);
                foreach (var container in await runtime.RunningContainersWithVolumeAsync($"{prefix}-sqlite", ct))
                {
                    var inspect = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "container", "inspect", container);
                    Assert.True(inspect.Succeeded, inspect.FirstErrorLine);
                    using var json = JsonDocument.Parse(inspect.StandardOutput);
                    var info = json.RootElement[0];
                    foreach (var mount in info.GetProperty("Mounts").EnumerateArray())
                    {
                        if (mount.GetProperty("Type").GetString() == "volume")
                        {
                            mounted.Add(mount.GetProperty("Name").GetString()!);
                        }
                    }

                    var config = info.GetProperty("HostConfig");
                    if (config.TryGetProperty("Tmpfs", out var fs) && fs.ValueKind == JsonValueKind.Object && fs.TryGetProperty("/etc/dendrite", out _))
                    {
                        tmpfs++;
                    }
                }
            }

            Assert.NotEmpty(mounted);
            Assert.All(mounted, volume => Assert.StartsWith(prefix + "-", volume, StringComparison.Ordinal));
            Assert.Equal(Starts, tmpfs);
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }
}
