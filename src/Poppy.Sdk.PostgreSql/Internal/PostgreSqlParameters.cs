using Npgsql;
using NpgsqlTypes;

namespace Poppy.Sdk.PostgreSql.Internal;

/// <summary>Typed statement parameters (explicit types: no inference from CLR values, and nulls typed too).</summary>
internal static class PostgreSqlParameters
{
    public static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Json(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Int64(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value };

    public static NpgsqlParameter Int32(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };

    /// <summary>A UTC time (Npgsql sends <c>timestamptz</c> from a UTC <see cref="DateTime"/>); stored to the microsecond.</summary>
    public static NpgsqlParameter Time(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.UtcDateTime : DBNull.Value };
}
