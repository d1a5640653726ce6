using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Poppy.Sdk.Testing.Servers;

/// <summary>
/// A throwaway PostgreSQL server for tests and benchmarks: <c>initdb</c> in a temporary folder, <c>pg_ctl start</c> on a
/// free port on 127.0.0.1 (Unix socket in the same folder), trust authentication, fsync off; stopped with
/// <c>pg_ctl stop -m immediate</c> and deleted on dispose. PostgreSQL refuses to run as root, so when this process
/// is root the server runs as the <c>postgres</c> OS user (through <c>runuser</c>) and owns the folder.
/// A missing server is an error that says how to install it, never a skip.
/// </summary>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with `apt-get install -y postgresql-15` "
        + "(Debian/Ubuntu; ./test.sh at the repository root does this), or set POPPY_PG_BIN to the folder holding initdb and pg_ctl.";

    private readonly string _root;
    private readonly string _data;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private int _databases;

    private PostgreSqlServer(string root, string binDir, bool asPostgresUser, int port)
    {
        _root = root;
        _data = Path.Combine(root, "data");
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string to the <c>postgres</c> database as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Finds the binaries, creates a cluster and starts it.</summary>
    /// <returns>The running server.</returns>
    public static async Task<PostgreSqlServer> StartAsync()
    {
        var binDir = FindBinDir() ?? throw new InvalidOperationException(InstallHint);
        var asPostgresUser = Environment.UserName == "root";
        for (var attempt = 1; ; attempt++)
        {
            // The free port is found by binding port 0 and letting it go: another process may take it before the
            // server binds it. Then the server fails with "could not bind", and a new port is tried.
            var server = await TryStartAsync(binDir, asPostgresUser, attempt < 3).ConfigureAwait(false);
            if (server is not null)
            {
                return server;
            }
        }
    }

    private static async Task<PostgreSqlServer?> TryStartAsync(string binDir, bool asPostgresUser, bool retryOnBindFailure)
    {
        var root = Path.Combine(Path.GetTempPath(), "poppy-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgreSqlServer(root, binDir, asPostgresUser, FreePort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["postgres:postgres", root]).ConfigureAwait(false);
            }

            await server.PgAsync("initdb", ["-D", server._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]).ConfigureAwait(false);
            await server.PgAsync("pg_ctl", [
                "-D", server._data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", string.Create(CultureInfo.InvariantCulture, $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"),
                "start",
            ]).ConfigureAwait(false);
            return server;
        }
        catch (InvalidOperationException) when (retryOnBindFailure && LostThePort(Path.Combine(root, "server.log")))
        {
            await server.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool LostThePort(string log)
    {
        try
        {
            var text = File.ReadAllText(log);
            return text.Contains("could not bind", StringComparison.OrdinalIgnoreCase) || text.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A connection string to one database as the superuser.</summary>
    /// <param name="database">The database.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50;Timeout=30;Command Timeout=60");

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    /// <returns>The connection string.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"poppy_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}");
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}").ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Runs SQL in one database (for tests that build an old schema by hand).</summary>
    /// <param name="connectionString">The database's connection string.</param>
    /// <param name="sql">The SQL (several statements allowed).</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task ExecuteOnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private Task ExecuteAsync(string database, string sql) => ExecuteOnAsync(ConnectionString(database), sql);

    /// <summary>Stops the server at once and deletes its folder.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                await PgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped; the folder still goes.
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string? FindBinDir()
    {
        if (Environment.GetEnvironmentVariable("POPPY_PG_BIN") is { Length: > 0 } configured && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            // Prefer 15 (the version CI installs), then the newest present.
            var candidates = Directory.GetDirectories(debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")) && File.Exists(Path.Combine(c.Dir, "pg_ctl")))
                .OrderByDescending(c => c.Major == 15)
                .ThenByDescending(c => c.Major)
                .ToList();
            if (candidates.Count > 0)
            {
                return candidates[0].Dir;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<string> PgAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.IsPathRooted(tool) ? tool : Path.Combine(_binDir, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding inherited pipes, so read to the end only after the tool exits, with a bound.
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 2 minutes: {output}");
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {text}");
        }

        return text;
    }
}
