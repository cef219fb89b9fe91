using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Tests;

public class ValueFormatTests
{
    [Theory]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("168h0m0s", 604_800_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("-5m", -300_000)]
    [InlineData("0", 0)]
    public void GoDuration_ParsesLikeGo(string text, long milliseconds)
    {
        Assert.True(new GoDuration(text).TryGetTimeSpan(out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("300")]
    [InlineData("5 m")]
    [InlineData("5min")]
    [InlineData("h")]
    [InlineData("1d")]
    public void GoDuration_RejectsWhatGoRejects(string text) => Assert.False(new GoDuration(text).TryGetTimeSpan(out _));

    [Fact]
    public void GoDuration_FromTimeSpan_WritesGoText()
    {
        Assert.Equal("1h", GoDuration.FromTimeSpan(TimeSpan.FromHours(1)).Text);
        Assert.Equal("1h30m", GoDuration.FromTimeSpan(TimeSpan.FromMinutes(90)).Text);
        Assert.Equal("168h", GoDuration.FromTimeSpan(TimeSpan.FromDays(7)).Text);
        Assert.Equal("0s", GoDuration.FromTimeSpan(TimeSpan.Zero).Text);
        Assert.Equal("1.5s", GoDuration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)).Text);
    }

    [Theory]
    [InlineData("1gb", 1L << 30)]
    [InlineData("512mb", 512L << 20)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("2kb", 2048)]
    [InlineData("1tb", 1L << 40)]
    [InlineData("1024", 1024)]
    public void DataUnit_ParsesDendriteSizes(string text, long bytes)
    {
        Assert.True(new DataUnit(text).TryGetBytes(out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("1 gb")]
    [InlineData("1g")]
    [InlineData("1GiB")]
    [InlineData("1b")]
    [InlineData("gb")]
    public void DataUnit_RejectsWhatDendriteRejects(string text) => Assert.False(new DataUnit(text).TryGetBytes(out _));
}
