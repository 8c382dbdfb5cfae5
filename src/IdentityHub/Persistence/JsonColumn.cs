using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IdentityHub.Persistence;

/// <summary>
/// Stores a small settings object (a tenant's password policy, its attributes) as one JSON text column, compared
/// by its JSON so that EF Core notices changes inside it.
/// </summary>
internal static class JsonColumn
{
    public static ValueConverter<T, string> Converter<T>() where T : class, new() => new(
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
        json => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Default) ?? new T());

    public static ValueComparer<T> Comparer<T>() where T : class, new() => new(
        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Default) == JsonSerializer.Serialize(b, JsonSerializerOptions.Default),
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default).GetHashCode(),
        value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, JsonSerializerOptions.Default), JsonSerializerOptions.Default) ?? new T());
}
