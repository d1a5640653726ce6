namespace Poppy.Sdk.Cli;

/// <summary>What the commands take from the machine: the clock, environment variables and the user's data folder (replaced in tests).</summary>
internal sealed class CliEnvironment
{
    /// <summary>The real machine: the system clock, the process's environment, the user's local application data folder.</summary>
    public static CliEnvironment System { get; } = new();

    /// <summary>The clock the waiting commands poll with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads an environment variable (null when unset).</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The user's local application data folder (<see cref="Environment.SpecialFolder.LocalApplicationData"/>).</summary>
    public Func<string> LocalApplicationData { get; init; } = static () => Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
}
