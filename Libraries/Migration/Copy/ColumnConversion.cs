using System.Globalization;
using System.Text;
using System.Text.Json;
using NpgsqlTypes;

namespace DendriteAspire.Migration.Copy;

/// <summary>A SQLite value that cannot become a value of the Postgres column's type.</summary>
public sealed class ValueConversionException(string message) : Exception(message)
{
    public ValueConversionException()
        : this("the value cannot be converted")
    {
    }

    public ValueConversionException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// How one column's values go from SQLite to Postgres, chosen by the Postgres column type (SQLite's declared types
/// say little: it stores any value anywhere, and Go's driver binds JSON as BLOB into TEXT columns).
/// <see cref="Convert"/> takes what <c>SqliteDataReader.GetValue</c> returns (<see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="byte"/>[] or <see cref="DBNull"/>) and returns what Npgsql's binary importer writes
/// as <see cref="DbType"/>. NULL stays NULL.
/// </summary>
public sealed class ColumnConversion
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] TimestampFormats =
    [
        // Go's database/sql with mattn/go-sqlite3 writes time.Time like this (and modernc's driver the variants).
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    private readonly Func<object, object> convert;

    private ColumnConversion(string postgresType, NpgsqlDbType dbType, string description, Func<object, object> convert)
    {
        PostgresType = postgresType;
        DbType = dbType;
        Description = description;
        this.convert = convert;
    }

    /// <summary>The Postgres type name (<c>int8</c>, <c>bool</c>, <c>_int8</c>).</summary>
    public string PostgresType { get; }

    public NpgsqlDbType DbType { get; }

    /// <summary>What happens to the values, for the dry-run plan (<c>integer 0/1 → boolean</c>).</summary>
    public string Description { get; }

    /// <summary>Whether the values change form on the way (anything but a plain copy).</summary>
    public bool Converts => Description.Contains('→', StringComparison.Ordinal);

    /// <summary>The Postgres type names this tool converts to.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
        ["int2", "int4", "int8", "bool", "bytea", "text", "varchar", "json", "jsonb", "_int8", "_int4", "_text", "timestamp", "timestamptz", "float8"];

    /// <summary>The conversion into a column of <paramref name="postgresType"/>, or null when there is none.</summary>
    public static ColumnConversion? For(string postgresType) => postgresType switch
    {
        "int2" => new(postgresType, NpgsqlDbType.Smallint, "integer", v => checked((short)Integer(v))),
        "int4" => new(postgresType, NpgsqlDbType.Integer, "integer", v => checked((int)Integer(v))),
        "int8" => new(postgresType, NpgsqlDbType.Bigint, "integer", v => Integer(v)),
        "float8" => new(postgresType, NpgsqlDbType.Double, "real", v => Real(v)),
        "bool" => new(postgresType, NpgsqlDbType.Boolean, "integer 0/1 → boolean", v => Boolean(v)),
        "bytea" => new(postgresType, NpgsqlDbType.Bytea, "BLOB → bytea", v => Bytes(v)),
        "text" or "varchar" => new(postgresType, NpgsqlDbType.Text, "text", v => Text(v)),
        "json" => new(postgresType, NpgsqlDbType.Json, "text JSON → json", v => Json(v)),
        "jsonb" => new(postgresType, NpgsqlDbType.Jsonb, "text JSON → jsonb", v => Json(v)),
        "_int8" => new(postgresType, NpgsqlDbType.Array | NpgsqlDbType.Bigint, "text JSON or comma list → bigint[]", v => IntegerArray(v)),
        "_int4" => new(postgresType, NpgsqlDbType.Array | NpgsqlDbType.Integer, "text JSON or comma list → integer[]",
            v => IntegerArray(v) is long[] a ? a.Select(x => checked((int)x)).ToArray() : DBNull.Value),
        "_text" => new(postgresType, NpgsqlDbType.Array | NpgsqlDbType.Text, "text JSON (empty: NULL) → text[]", TextArray),
        "timestamp" => new(postgresType, NpgsqlDbType.Timestamp, "text time → timestamp (UTC)",
            v => DateTime.SpecifyKind(Timestamp(v), DateTimeKind.Unspecified)),
        "timestamptz" => new(postgresType, NpgsqlDbType.TimestampTz, "text time → timestamptz", v => Timestamp(v)),
        _ => null,
    };

    /// <summary>The value to write; <see cref="DBNull.Value"/> for NULL. Throws <see cref="ValueConversionException"/>.</summary>
    public object Convert(object? value) => value is null or DBNull ? DBNull.Value : convert(value);

    private static long Integer(object value) => value switch
    {
        long l => l,
        double d when d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Unexpected(value, "an integer"),
    };

    private static double Real(object value) => value switch
    {
        double d => d,
        long l => (double)l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Unexpected(value, "a number"),
    };

    private static bool Boolean(object value) => value switch
    {
        0L => false,
        1L => true,
        string s when s is "0" or "false" or "FALSE" => false,
        string s when s is "1" or "true" or "TRUE" => true,
        _ => throw Unexpected(value, "0 or 1"),
    };

    private static byte[] Bytes(object value) => value switch
    {
        byte[] b => b,
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw Unexpected(value, "a BLOB"),
    };

    private static string Text(object value) => value switch
    {
        string s => CheckNoNul(s),
        byte[] b => CheckNoNul(Utf8(b)),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => throw Unexpected(value, "text"),
    };

    private static string Json(object value)
    {
        var text = Text(value);
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ValueConversionException($"not valid JSON ({e.Message}): {Excerpt(text)}");
        }

        return text;
    }

    private static object IntegerArray(object value)
    {
        var text = Text(value).Trim();
        if (text == "null")
        {
            return DBNull.Value;
        }

        if (text.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<long[]?>(text) is { } array ? array : DBNull.Value;
            }
            catch (JsonException e)
            {
                throw new ValueConversionException($"not a JSON array of integers ({e.Message}): {Excerpt(text)}");
            }
        }

        // roomserver_previous_events.event_nids: Dendrite's SQLite storage keeps "1,2,3".
        if (text.Length == 0)
        {
            return Array.Empty<long>();
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new ValueConversionException($"not a JSON array or a comma-separated list of integers: {Excerpt(text)}");
            }
        }

        return result;
    }

    private static object TextArray(object value)
    {
        var text = Text(value).Trim();
        // Dendrite's SQLite storage writes a nil []byte ("") or "null" where its Postgres storage writes NULL.
        if (text.Length == 0 || text == "null")
        {
            return DBNull.Value;
        }

        try
        {
            return JsonSerializer.Deserialize<string[]?>(text) is { } array ? array : DBNull.Value;
        }
        catch (JsonException e)
        {
            throw new ValueConversionException($"not a JSON array of strings ({e.Message}): {Excerpt(text)}");
        }
    }

    private static DateTime Timestamp(object value)
    {
        var text = Text(value);
        // Go's default time format carries a monotonic-clock suffix (" m=+0.0001") when written with fmt; drop it.
        var monotonic = text.IndexOf(" m=", StringComparison.Ordinal);
        if (monotonic > 0)
        {
            text = text[..monotonic];
        }

        // Go writes nanoseconds; .NET parses at most seven fractional digits (100 ns ticks).
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(\.\d{7})\d+", "$1");
        if (DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }

        throw new ValueConversionException($"not a time Postgres can store: {Excerpt(text)}");
    }

    private static string Utf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ValueConversionException($"a BLOB of {bytes.Length} bytes that is not UTF-8 text");
        }
    }

    private static string CheckNoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal)
            ? throw new ValueConversionException($"text with a NUL character, which Postgres text cannot hold: {Excerpt(text)}")
            : text;

    private static ValueConversionException Unexpected(object value, string expected) =>
        new($"expected {expected}, found {Describe(value)}");

    private static string Describe(object value) => value switch
    {
        byte[] b => $"a BLOB of {b.Length} bytes",
        string s => $"text {Excerpt(s)}",
        long l => $"the integer {l}",
        double d => $"the real {d.ToString(CultureInfo.InvariantCulture)}",
        _ => value.GetType().Name,
    };

    private static string Excerpt(string text) => text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..60]}...\" ({text.Length} characters)";
}
