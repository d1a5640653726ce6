using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Poppy.Sdk.TestSupport;

/// <summary>
/// A throwaway <c>redis-server</c> on a free port of 127.0.0.1, without persistence, in a temp folder; stopped and
/// deleted on dispose. A missing server fails the test with how to install it (never a silent skip).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string that reaches it.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>The configuration string a user would write (the client's default timeouts: 5 s).</summary>
    public string PlainConfiguration => $"127.0.0.1:{Port}";

    /// <summary>Starts a server.</summary>
    /// <returns>The running server.</returns>
    public static async Task<RedisServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            // The free port is found by binding port 0 and letting it go: another process may take it first. Then
            // redis-server exits with "Address already in use", and a new port is tried.
            var directory = Directory.CreateTempSubdirectory("poppy-redis-").FullName;
            var server = new RedisServer(directory, FreePort());
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Stops the server (as a crash would: no shutdown save), keeping its port for <see cref="RestartAsync"/>.</summary>
    /// <returns>A task.</returns>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port (empty: it keeps nothing).</summary>
    /// <returns>A task.</returns>
    public Task RestartAsync() => StartProcessAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task StartProcessAsync()
    {
        var executable = FindExecutable("redis-server") ?? throw new InvalidOperationException(
            "redis-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server) or run ./test.sh, which installs what the tests need.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start ({process.ExitCode}): {output}");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {Port} within 30 s: {output}");
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator).Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
