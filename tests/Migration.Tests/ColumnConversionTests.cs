using DendriteAspire.Migration.Copy;
using NpgsqlTypes;

namespace DendriteAspire.Migration.Tests;

/// <summary>One conversion per Postgres column type, from the values Go's SQLite drivers leave in Dendrite's files.</summary>
public class ColumnConversionTests
{
    private static ColumnConversion For(string type) => ColumnConversion.For(type) ?? throw new InvalidOperationException(type);

    [Theory]
    [InlineData(0L, false)]
    [InlineData(1L, true)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    public void Boolean_FromSqliteIntegerZeroOrOne(object stored, bool expected)
    {
        Assert.Equal(expected, For("bool").Convert(stored));
        Assert.Equal(NpgsqlDbType.Boolean, For("bool").DbType);
    }

    [Theory]
    [InlineData(2L)]
    [InlineData("yes")]
    public void Boolean_RefusesAnythingButZeroOrOne(object stored) =>
        Assert.Contains("0 or 1", Assert.Throws<ValueConversionException>(() => For("bool").Convert(stored)).Message, StringComparison.Ordinal);

    [Fact]
    public void Integers_KeepTheirValue_AndRefuseOverflowAndText()
    {
        Assert.Equal(long.MaxValue, For("int8").Convert(long.MaxValue));
        Assert.Equal(42, For("int4").Convert(42L));
        Assert.Equal((short)2, For("int2").Convert(2L));
        Assert.Equal(7L, For("int8").Convert("7"));
        Assert.Throws<OverflowException>(() => For("int2").Convert(70_000L));
        Assert.Throws<ValueConversionException>(() => For("int8").Convert("seven"));
        Assert.Throws<ValueConversionException>(() => For("int8").Convert(new byte[] { 1 }));
    }

    [Fact]
    public void Bytea_FromBlob_ByteForByte()
    {
        byte[] hash = [0, 255, 16, 32];
        Assert.Equal(hash, For("bytea").Convert(hash));
        Assert.Equal(NpgsqlDbType.Bytea, For("bytea").DbType);
    }

    [Fact]
    public void Text_FromTextOrUtf8Blob_AndRefusesOtherBytes()
    {
        Assert.Equal("{\"a\":\"é\"}", For("text").Convert("{\"a\":\"é\"}"));
        Assert.Equal("{\"a\":\"é\"}", For("text").Convert("{\"a\":\"é\"}"u8.ToArray()));
        Assert.Contains("not UTF-8", Assert.Throws<ValueConversionException>(() => For("text").Convert(new byte[] { 0xC3, 0x28 })).Message,
            StringComparison.Ordinal);
        Assert.Contains("NUL", Assert.Throws<ValueConversionException>(() => For("text").Convert("a\0b")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", NpgsqlDbType.Json)]
    [InlineData("jsonb", NpgsqlDbType.Jsonb)]
    public void Json_FromTextOrBlob_MustBeValidJson(string type, NpgsqlDbType dbType)
    {
        Assert.Equal("{\"k\":[1,2]}", For(type).Convert("{\"k\":[1,2]}"u8.ToArray()));
        Assert.Equal(dbType, For(type).DbType);
        Assert.Contains("not valid JSON", Assert.Throws<ValueConversionException>(() => For(type).Convert("{oops")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2,3]", new long[] { 1, 2, 3 })]
    [InlineData("[]", new long[0])]
    [InlineData("4,5,6", new long[] { 4, 5, 6 })]
    [InlineData("7", new long[] { 7 })]
    [InlineData("", new long[0])]
    public void BigintArray_FromJsonArrayOrCommaList(string stored, long[] expected)
    {
        Assert.Equal(expected, For("_int8").Convert(stored));
        Assert.Equal(NpgsqlDbType.Array | NpgsqlDbType.Bigint, For("_int8").DbType);
    }

    [Fact]
    public void BigintArray_RefusesNonNumbers() =>
        Assert.Throws<ValueConversionException>(() => For("_int8").Convert("1,x"));

    [Fact]
    public void TextArray_FromJsonArray_AndJsonNullIsNull()
    {
        var ids = (string[])For("_text").Convert("[\"$a\",\"$b\"]");
        Assert.Equal(["$a", "$b"], ids);
        Assert.Equal(DBNull.Value, For("_text").Convert("null"));
        // What Dendrite's SQLite storage really leaves for "no state removed" (seen in a live migration).
        Assert.Equal(DBNull.Value, For("_text").Convert(""));
        Assert.Equal(DBNull.Value, For("_text").Convert(Array.Empty<byte>()));
    }

    [Fact]
    public void Timestamp_FromGoTimeText_InUtc()
    {
        var value = (DateTime)For("timestamp").Convert("2024-03-01 12:30:45.123456789+02:00");
        Assert.Equal(new DateTime(2024, 3, 1, 10, 30, 45, DateTimeKind.Unspecified).AddTicks(1234567), value);
        Assert.Throws<ValueConversionException>(() => For("timestamp").Convert("yesterday"));
    }

    [Theory]
    [InlineData("bool")]
    [InlineData("text")]
    [InlineData("_int8")]
    [InlineData("bytea")]
    public void Null_StaysNull(string type)
    {
        Assert.Equal(DBNull.Value, For(type).Convert(DBNull.Value));
        Assert.Equal(DBNull.Value, For(type).Convert(null));
    }

    [Theory]
    [InlineData("inet")]
    [InlineData("numeric")]
    [InlineData("uuid")]
    public void UnknownType_HasNoConversion(string type) => Assert.Null(ColumnConversion.For(type));
}
