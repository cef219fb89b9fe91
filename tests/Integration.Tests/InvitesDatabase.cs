using Microsoft.Data.Sqlite;

namespace DendriteAspire.Integration.Tests;

/// <summary>Reads the onboarding service's <c>invites.db</c> (a copy or a restored file) without changing it.</summary>
internal static class InvitesDatabase
{
    /// <summary>The user names of the invites in <paramref name="path"/>, ordered.</summary>
    public static List<string> UserNames(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT user_name FROM invites ORDER BY user_name";
        using var reader = select.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
