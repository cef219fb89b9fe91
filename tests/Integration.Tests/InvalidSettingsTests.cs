using Aspire.Hosting.Testing;

namespace DendriteAspire.Integration.Tests;

/// <summary>Case 10: invalid settings stop the AppHost while it is built, before any container or volume exists.</summary>
[Trait("Category", "Live")]
public class InvalidSettingsTests
{
    [Fact]
    public async Task WellKnownServerNameWithAScheme_StopsTheAppBeforeAnyContainer_NamingTheKeyPath()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("invalid");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        var arguments = DendriteApp.Arguments(runtime, prefix, ["--Dendrite:WellKnown:ServerName=https://example.org"]);

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(arguments, deadline.Token);
            await using var app = await builder.BuildAsync(deadline.Token);
        });

        try
        {
            Assert.NotNull(error);
            Assert.Contains(Messages(error), m => m.Contains("Dendrite:WellKnown:ServerName", StringComparison.Ordinal));
            Assert.Empty(await runtime.ListVolumesAsync(prefix, ct));
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: true);
        }
    }

    private static IEnumerable<string> Messages(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var current))
        {
            yield return current.Message;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
