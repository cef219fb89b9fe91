using DendriteAspire.Migration.Schema;
using Npgsql;

namespace DendriteAspire.Migration.Copy;

/// <summary>
/// Copies one table with <c>COPY ... FROM STDIN (FORMAT BINARY)</c> through Npgsql's binary importer, converting each
/// value on the way. A value that cannot be converted stops the copy, naming the table, column and row.
/// </summary>
public static class TableCopy
{
    public static long Run(NpgsqlConnection connection, TablePlan table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns.Count == 0)
        {
            return 0;
        }

        var copy = $"COPY {Quote(table.Table)} ({string.Join(", ", table.Columns.Select(c => Quote(c.PostgresName)))}) FROM STDIN (FORMAT BINARY)";
        var conversions = table.Columns.Select(c => c.Conversion).ToArray();
        long row = 0;
        using var importer = connection.BeginBinaryImport(copy);
        using (var reader = table.Source.ReadRows(table.Table, table.Columns.Select(c => c.SqliteName)))
        {
            while (reader.Read())
            {
                row++;
                importer.StartRow();
                for (var i = 0; i < conversions.Length; i++)
                {
                    object value;
                    try
                    {
                        value = conversions[i].Convert(reader.GetValue(i));
                    }
                    catch (Exception e) when (e is ValueConversionException or OverflowException)
                    {
                        throw new MigrationRefusedException(
                            $"{table.Table}.{table.Columns[i].PostgresName} (row {row}): {e.Message}; nothing was written");
                    }

                    if (value is DBNull)
                    {
                        importer.WriteNull();
                    }
                    else
                    {
                        importer.Write(value, conversions[i].DbType);
                    }
                }
            }
        }

        // What Postgres kept (a trigger may drop rows); the row-count check compares the tables themselves afterwards.
        return (long)importer.Complete();
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
