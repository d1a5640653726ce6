using Microsoft.Data.Sqlite;
using Npgsql;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.Cli.State;

/// <summary>
/// Where the state commands read the catalog and the operation journal: <c>--catalog VALUE</c>, else the environment
/// variable <c>POPPY_CATALOG</c>, else <c>poppy/poppy.db</c> in the user's local application data folder. VALUE is a
/// SQLite file path or connection string (<c>Data Source=…</c>), or a PostgreSQL connection string (a
/// <c>postgresql://</c> / <c>postgres://</c> URI, or keywords with <c>Host=</c>).
/// </summary>
internal sealed class StateStore : IAsyncDisposable
{
    /// <summary>The environment variable naming the catalog when <c>--catalog</c> is not given.</summary>
    public const string Variable = "POPPY_CATALOG";

    private StateStore(string description, IServiceCatalog catalog, IOperationJournal? journal, string? journalUnavailable)
    {
        Description = description;
        PostgreSqlCatalog = catalog as PostgreSqlServiceCatalog;
        Catalog = catalog;
        Journal = journal;
        JournalUnavailable = journalUnavailable;
    }

    /// <summary>Which store this is, for messages: the SQLite file, or the PostgreSQL host and database (never a password).</summary>
    public string Description { get; }

    /// <summary>The service catalog.</summary>
    public IServiceCatalog Catalog { get; }

    /// <summary>The catalog when it is on PostgreSQL (its schema can be checked); null on SQLite.</summary>
    public PostgreSqlServiceCatalog? PostgreSqlCatalog { get; }

    /// <summary>The operation journal; null when this store has none in this build (<see cref="JournalUnavailable"/> says why).</summary>
    public IOperationJournal? Journal { get; }

    /// <summary>Why <see cref="Journal"/> is null.</summary>
    public string? JournalUnavailable { get; }

    /// <summary>Opens the store named by <paramref name="option"/>, the environment, or the default file.</summary>
    /// <param name="option">The value of <c>--catalog</c>, or null.</param>
    /// <param name="environment">Where the variable and the default folder come from.</param>
    /// <param name="error">The problem, when the result is null.</param>
    /// <param name="migrate">
    /// Whether a PostgreSQL schema may be created or upgraded (<c>poppy catalog import --migrate</c>); false: a database
    /// without the current schema is refused. SQLite files are created and upgraded on first use either way.
    /// </param>
    /// <returns>The store, or null with the problem in <paramref name="error"/> (a usage error).</returns>
    public static StateStore? Open(string? option, CliEnvironment environment, out string? error, bool migrate = false)
    {
        error = null;
        var value = option;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = environment.GetVariable(Variable);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            var root = environment.LocalApplicationData();
            if (string.IsNullOrEmpty(root))
            {
                error = $"this user has no local application data folder for the default catalog; give --catalog or set {Variable}.";
                return null;
            }

            var folder = Path.Combine(root, "poppy");
            Directory.CreateDirectory(folder);
            value = Path.Combine(folder, "poppy.db");
        }

        try
        {
            if (IsPostgreSql(value))
            {
                var builder = new NpgsqlConnectionStringBuilder(ToNpgsql(value));
                var description = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
                // A shared database's schema is its owners' business: reading it never migrates it, and an import
                // migrates it only when asked to (--migrate).
                var options = new PostgreSqlServiceCatalogOptions { ApplyMigrations = migrate };
                return new StateStore(
                    description,
                    new PostgreSqlServiceCatalog(builder.ConnectionString, options),
                    new PostgreSqlOperationJournal(builder.ConnectionString, options),
                    null);
            }

            var sqlite = IsSqliteConnectionString(value)
                ? new SqliteConnectionStringBuilder(value)
                : new SqliteConnectionStringBuilder { DataSource = value };
            var sqliteOptions = new SqliteServiceCatalogOptions { ConnectionString = sqlite.ToString() };
            return new StateStore(
                "SQLite file " + (sqlite.DataSource.Length == 0 || sqlite.DataSource == ":memory:" ? sqlite.DataSource : Path.GetFullPath(sqlite.DataSource)),
                new SqliteServiceCatalog(sqliteOptions),
                new SqliteOperationJournal(sqliteOptions),
                null);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            // The value may hold a password: the message names the problem, never the value.
            error = "--catalog (or " + Variable + ") is not a usable catalog location: " + ex.Message;
            return null;
        }
    }

    /// <summary>Whether a catalog location names a PostgreSQL database.</summary>
    public static bool IsPostgreSql(string value) =>
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Npgsql's keyword form of a PostgreSQL location: a <c>postgresql://user:password@host:port/database?sslmode=…</c>
    /// URI becomes <c>Host=…;Port=…;Username=…;Password=…;Database=…;SSL Mode=…</c>; keywords pass unchanged.
    /// </summary>
    public static string ToNpgsql(string value)
    {
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            return value;
        }

        var uri = new Uri(value, UriKind.Absolute);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var parameter = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => key,
            }] = parameter;
        }

        return builder.ConnectionString;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Catalog is IAsyncDisposable catalog)
        {
            await catalog.DisposeAsync().ConfigureAwait(false);
        }

        if (Journal is IAsyncDisposable journal)
        {
            await journal.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsSqliteConnectionString(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return false;
        }

        var keyword = value[..equals].Trim();
        return keyword.Equals("Data Source", StringComparison.OrdinalIgnoreCase)
            || keyword.Equals("DataSource", StringComparison.OrdinalIgnoreCase)
            || keyword.Equals("Filename", StringComparison.OrdinalIgnoreCase);
    }
}
