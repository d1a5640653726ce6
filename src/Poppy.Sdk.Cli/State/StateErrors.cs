using System.Data.Common;
using System.Text.Json;

namespace Poppy.Sdk.Cli.State;

/// <summary>Which exceptions mean "the store could not be read" (reported on one line) rather than a bug.</summary>
internal static class StateErrors
{
    public static bool IsStoreFailure(Exception ex) =>
        ex is DbException or InvalidOperationException or JsonException or IOException or UnauthorizedAccessException or TimeoutException;
}
