using DendriteAspire.SlackImport.Export;

namespace DendriteAspire.SlackImport.Tests;

/// <summary>Every bad export is refused while reading, with the file and entry named.</summary>
public sealed class RefusalTests
{
    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "this is a text file, not an export");
        try
        {
            var e = Assert.Throws<SlackExportException>(() => SlackExportReader.Read(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("not a readable ZIP", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_zip_is_refused()
    {
        var zip = Fixtures.Zip(Fixtures.Modern);
        try
        {
            var bytes = File.ReadAllBytes(zip);
            File.WriteAllBytes(zip, bytes[..(bytes.Length * 2 / 3)]);
            var e = Assert.Throws<SlackExportException>(() => SlackExportReader.Read(zip));
            Assert.Contains(zip, e.Message, StringComparison.Ordinal);
            Assert.Contains("download", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public void A_missing_path_is_refused()
    {
        var e = Assert.Throws<SlackExportException>(() => SlackExportReader.Read("/nonexistent/export.zip"));
        Assert.Contains("/nonexistent/export.zip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_without_users_json_is_refused()
    {
        var copy = Fixtures.Copy(Fixtures.Modern);
        try
        {
            File.Delete(Path.Combine(copy, "users.json"));
            var e = Assert.Throws<SlackExportException>(() => SlackExportReader.Read(copy));
            Assert.Contains("users.json", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("general/2021-03-14.json", "[{\"type\":\"message\",\"user\":\"U01ALICE\"", "general/2021-03-14.json is not valid JSON")]
    [InlineData("general/2021-03-14.json", "[{\"type\":\"message\",\"user\":\"U01ALICE\",\"text\":\"x\",\"ts\":\"yesterday\"}]", "general/2021-03-14.json[0]: has no valid \"ts\"")]
    [InlineData("channels.json", "{\"not\":\"a list\"}", "channels.json is not a JSON array")]
    [InlineData("channels.json", "[{\"name\":\"general\"}]", "channels.json[0]: has no \"id\"")]
    [InlineData("users.json", "[{\"name\":\"x\"}]", "users.json[0]: has no \"id\"")]
    public void A_damaged_file_is_refused_naming_the_file_and_entry(string file, string content, string expected)
    {
        var copy = Fixtures.Copy(Fixtures.Modern);
        try
        {
            File.WriteAllText(Path.Combine(copy, file), content);
            var e = Assert.Throws<SlackExportException>(() => SlackExportReader.Read(copy));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
