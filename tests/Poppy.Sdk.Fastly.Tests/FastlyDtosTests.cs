using System.Text.Json;
using Poppy.Sdk.Fastly.Internal;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>
/// The DTOs read the types of Fastly's own models (npm <c>fastly</c>: <c>CacheSettingResponse.ttl</c>,
/// <c>ConditionResponse.priority</c>, <c>ResponseObjectResponse.status</c> are strings; <c>AclEntryResponse.negated</c>
/// is 0/1; backend <c>port</c> a number) and stay tolerant of the other form of each.
/// </summary>
public sealed class FastlyDtosTests
{
    [Theory]
    [InlineData("""[{"name":"c","ttl":"3600","action":"cache","version":"2"}]""")]
    [InlineData("""[{"name":"c","ttl":3600,"action":"cache","version":2}]""")]
    public void CacheSettings_TtlAsStringOrNumber_ReadsTheNumber(string json)
    {
        var setting = Assert.Single(JsonSerializer.Deserialize(json, FastlyJsonContext.Default.ListFastlyCacheSettingDto)!);

        Assert.Equal(3600, setting.Ttl);
    }

    [Theory]
    [InlineData("""[{"name":"c","type":"REQUEST","statement":"true","priority":"10","version":"1"}]""")]
    [InlineData("""[{"name":"c","type":"REQUEST","statement":"true","priority":10,"version":1}]""")]
    public void Conditions_PriorityAsStringOrNumber_ReadsTheNumber(string json)
    {
        var condition = Assert.Single(JsonSerializer.Deserialize(json, FastlyJsonContext.Default.ListFastlyConditionDto)!);

        Assert.Equal(10, condition.Priority);
    }

    [Theory]
    [InlineData("""[{"name":"r","status":"403","response":"Forbidden","version":"1"}]""")]
    [InlineData("""[{"name":"r","status":403,"response":"Forbidden","version":1}]""")]
    public void ResponseObjects_StatusAsStringOrNumber_ReadsTheNumber(string json)
    {
        var response = Assert.Single(JsonSerializer.Deserialize(json, FastlyJsonContext.Default.ListFastlyResponseObjectDto)!);

        Assert.Equal(403, response.Status);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("\"1\"", true)]
    [InlineData("\"0\"", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void AclEntries_NegatedAsTheModelsZeroOneOrLegacyForms_ReadsTheFlag(string negated, bool expected)
    {
        var json = $$"""[{"id":"e1","ip":"192.0.2.0","subnet":24,"negated":{{negated}},"acl_id":"a","service_id":"s"}]""";

        var entry = Assert.Single(JsonSerializer.Deserialize(json, FastlyJsonContext.Default.ListFastlyAclEntryDto)!);

        Assert.Equal(expected, entry.Negated);
        Assert.Equal(24, entry.Subnet);
    }

    [Theory]
    [InlineData("""[{"name":"o","address":"a.example","port":443,"use_ssl":true,"weight":100,"version":1}]""")]
    [InlineData("""[{"name":"o","address":"a.example","port":"443","use_ssl":"1","weight":"100","version":"1"}]""")]
    public void Backends_PortAsNumberOrString_ReadsTheNumber(string json)
    {
        var backend = Assert.Single(JsonSerializer.Deserialize(json, FastlyJsonContext.Default.ListFastlyBackendDto)!);

        Assert.Equal(443, backend.Port);
        Assert.True(backend.UseSsl);
    }

    [Fact]
    public void AclBatch_Written_NegatedAndSubnetAsTheModelsNumbers()
    {
        var batch = new FastlyAclBatchDto { Entries = [new FastlyAclBatchEntryDto { Op = "create", Ip = "192.0.2.0", Subnet = 24, Negated = 1 }] };

        var json = JsonSerializer.Serialize(batch, FastlyJsonContext.Default.FastlyAclBatchDto);

        Assert.Equal("""{"entries":[{"op":"create","ip":"192.0.2.0","subnet":24,"negated":1}]}""", json);
    }
}
