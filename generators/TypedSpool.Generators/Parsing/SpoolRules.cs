using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedSpool.Generators.Model;

namespace TypedSpool.Generators.Parsing
{
    /// <summary>Why a parameter cannot be generated as written.</summary>
    internal enum ParameterProblem
    {
        None,
        /// <summary>No encoding exists (ref/out, pointer, delegate, object, dynamic, type parameter, Stream...).</summary>
        Unsupported,
        /// <summary>Needs JSON, and no [SpoolJsonContext] is in scope.</summary>
        NeedsJsonContext,
        /// <summary>[Body] on a parameter that is injected or cannot be a body.</summary>
        InvalidBody,
    }

    /// <summary>The classification of one parameter.</summary>
    internal readonly struct ParameterClass
    {
        public ParameterClass(ParameterKind kind, bool isOptional, string? format, ITypeSymbol valueType, ParameterProblem problem, bool isBulk)
        {
            Kind = kind;
            IsOptional = isOptional;
            Format = format;
            ValueType = valueType;
            Problem = problem;
            IsBulk = isBulk;
        }

        public ParameterKind Kind { get; }

        public bool IsOptional { get; }

        public string? Format { get; }

        public ITypeSymbol ValueType { get; }

        public ParameterProblem Problem { get; }

        /// <summary>A payload of a bulk type (byte[], a collection) kept in a key, where it may pass 64 KB.</summary>
        public bool IsBulk { get; }
    }

    /// <summary>
    /// The rules of a valid task, shared by the generator (which skips what breaks them) and the analyzers (which
    /// report it), so that the two can never disagree.
    /// </summary>
    internal static class SpoolRules
    {
        /// <summary>Keys with a meaning to uWSGI, uwsgidecorators or TypedSpool; no payload parameter may use them.</summary>
        public static readonly ImmutableHashSet<string> ReservedKeys = ImmutableHashSet.Create(
            "at", "priority", "spooler", "body", "ud_spool_func", "ud_spool_ret", "spooler_task_name", "args", "kwargs",
            "message_dict", "typedspool_attempt", "typedspool_slot", "traceparent");

        /// <summary>Largest key/value area of a packet.</summary>
        public const int MaxArea = 65535;

        public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The task attributes on a method, in declaration order.</summary>
        public static ImmutableArray<(TaskKind Kind, AttributeData Attribute)> TaskAttributes(IMethodSymbol method)
        {
            var builder = ImmutableArray.CreateBuilder<(TaskKind, AttributeData)>();
            foreach (var attribute in method.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case KnownNames.SpoolAttribute: builder.Add((TaskKind.Spool, attribute)); break;
                    case KnownNames.SpoolRawAttribute: builder.Add((TaskKind.Raw, attribute)); break;
                    case KnownNames.SpoolForeverAttribute: builder.Add((TaskKind.Forever, attribute)); break;
                }
            }
            if (builder.Count == 0 && ScheduleAttributes(method).FirstOrDefault() is { } schedule)
            {
                // [Timer] or [Cron] alone implies [Spool].
                builder.Add((TaskKind.Spool, schedule));
            }
            return builder.ToImmutable();
        }

        /// <summary>The [Timer] and [Cron] attributes on a method.</summary>
        public static ImmutableArray<AttributeData> ScheduleAttributes(IMethodSymbol method)
            => method.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.TimerAttribute or KnownNames.CronAttribute).ToImmutableArray();

        /// <summary>The schedule of a method: a timer interval in seconds, or a cron expression (both null: not scheduled).</summary>
        public static (int? Seconds, string? Cron) Schedule(IMethodSymbol method)
        {
            foreach (var attribute in ScheduleAttributes(method))
            {
                if (attribute.ConstructorArguments.Length != 1) continue;
                var value = attribute.ConstructorArguments[0].Value;
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.TimerAttribute && value is int seconds) return (seconds, null);
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.CronAttribute && value is string cron) return (null, cron);
            }
            return (null, null);
        }

        /// <summary>Why a [Timer]/[Cron] schedule cannot work, or null (also null for unscheduled methods).</summary>
        public static string? ScheduleProblem(IMethodSymbol method)
        {
            var attributes = ScheduleAttributes(method);
            if (attributes.Length == 0) return null;
            if (attributes.Length > 1) return "a task has one schedule: keep either [Timer] or [Cron]";
            var (seconds, cron) = Schedule(method);
            if (seconds is { } s && s < 1) return $"the interval must be 1 second or more, not {s}";
            if (seconds is null && string.IsNullOrWhiteSpace(cron)) return "the cron expression is empty";
            if (cron is not null && cron.Split(new[] { ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
            {
                return $"the cron expression '{cron}' must have 5 fields (minute hour day month weekday) or 6 (seconds first)";
            }
            var payload = method.Parameters.FirstOrDefault(p => ClassifyParameter(p, hasJsonContext: true).Kind
                is not (ParameterKind.CancellationToken or ParameterKind.Context or ParameterKind.Service));
            if (payload is not null) return $"a scheduled task has no caller to give it arguments, so '{payload.Name}' cannot be a payload (only CancellationToken, SpoolContext and [FromServices] parameters)";
            return null;
        }

        /// <summary>The wire name: the attribute's Name, else the method name.</summary>
        public static string WireName(IMethodSymbol method, AttributeData attribute)
        {
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Name" && named.Value.Value is string name)
                {
                    return name;
                }
            }
            return method.Name;
        }

        /// <summary>The return shape, or null when the kind of task does not allow the return type.</summary>
        public static ReturnShape? ClassifyReturn(IMethodSymbol method, TaskKind kind)
        {
            if (method.IsAsync && method.ReturnsVoid)
            {
                return null;
            }
            var type = method.ReturnType;
            if (kind == TaskKind.Raw)
            {
                if (IsNamed(type, KnownNames.SpoolResult)) return ReturnShape.Result;
                if (type is INamedTypeSymbol { IsGenericType: true } generic && IsNamed(generic.TypeArguments[0], KnownNames.SpoolResult))
                {
                    if (IsNamed(generic.OriginalDefinition, KnownNames.TaskOfT)) return ReturnShape.TaskOfResult;
                    if (IsNamed(generic.OriginalDefinition, KnownNames.ValueTaskOfT)) return ReturnShape.ValueTaskOfResult;
                }
                return null;
            }
            if (method.ReturnsVoid) return ReturnShape.Void;
            if (IsNamed(type, KnownNames.Task)) return ReturnShape.Task;
            if (IsNamed(type, KnownNames.ValueTask)) return ReturnShape.ValueTask;
            return null;
        }

        /// <summary>Classifies one parameter.</summary>
        public static ParameterClass ClassifyParameter(IParameterSymbol parameter, bool hasJsonContext)
        {
            var type = parameter.Type;
            bool body = HasAttribute(parameter, KnownNames.BodyAttribute);
            bool service = HasAttribute(parameter, KnownNames.FromServicesAttribute);

            if (parameter.RefKind != RefKind.None || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error)
            {
                return Problem(type, ParameterProblem.Unsupported);
            }
            if (IsNamed(type, KnownNames.CancellationToken))
            {
                return body ? Problem(type, ParameterProblem.InvalidBody) : Injected(ParameterKind.CancellationToken, type);
            }
            if (IsNamed(type, KnownNames.SpoolContext))
            {
                return body ? Problem(type, ParameterProblem.InvalidBody) : Injected(ParameterKind.Context, type);
            }
            if (service)
            {
                return body
                    ? Problem(type, ParameterProblem.InvalidBody)
                    : new ParameterClass(ParameterKind.Service, type.NullableAnnotation == NullableAnnotation.Annotated && type.IsReferenceType, null,
                        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), ParameterProblem.None, isBulk: false);
            }

            // A reference type from #nullable disable code may be null too: an absent key reads back as null.
            bool optional = type.NullableAnnotation == NullableAnnotation.Annotated
                || (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None);
            var valueType = type;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                valueType = nullable.TypeArguments[0];
                optional = true;
            }

            if (body)
            {
                if (valueType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }) return Payload(ParameterKind.BodyBytes, optional, null, valueType);
                if (IsReadOnlyMemoryOfByte(valueType)) return Payload(ParameterKind.BodyMemory, optional, null, valueType);
                if (valueType.SpecialType == SpecialType.System_String) return Payload(ParameterKind.BodyText, optional, null, valueType);
                if (!IsJsonCandidate(valueType)) return Problem(type, ParameterProblem.InvalidBody);
                return hasJsonContext ? Payload(ParameterKind.BodyJson, optional, null, valueType) : Problem(type, ParameterProblem.NeedsJsonContext);
            }

            switch (valueType.SpecialType)
            {
                case SpecialType.System_String: return Payload(ParameterKind.Text, optional, null, valueType);
                case SpecialType.System_Boolean: return Payload(ParameterKind.Boolean, optional, null, valueType);
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Decimal:
                    return Payload(ParameterKind.Parsable, optional, null, valueType);
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                    return Payload(ParameterKind.Parsable, optional, "R", valueType);
                case SpecialType.System_DateTime:
                    return Payload(ParameterKind.DateTime, optional, "O", valueType);
            }
            if (valueType.TypeKind == TypeKind.Enum) return Payload(ParameterKind.Enum, optional, null, valueType);
            if (IsNamed(valueType, KnownNames.Guid)) return Payload(ParameterKind.Parsable, optional, "D", valueType);
            if (IsNamed(valueType, KnownNames.DateTimeOffset)) return Payload(ParameterKind.DateTimeOffset, optional, "O", valueType);
            if (IsNamed(valueType, KnownNames.TimeSpan)) return Payload(ParameterKind.TimeSpan, optional, "c", valueType);
            if (IsNamed(valueType, KnownNames.DateOnly) || IsNamed(valueType, KnownNames.TimeOnly)) return Payload(ParameterKind.Parsable, optional, "O", valueType);
            if (valueType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
            {
                return new ParameterClass(ParameterKind.Bytes, optional, null, valueType, ParameterProblem.None, isBulk: true);
            }
            if (!IsJsonCandidate(valueType)) return Problem(type, ParameterProblem.Unsupported);
            return hasJsonContext
                ? new ParameterClass(ParameterKind.Json, optional, null, valueType, ParameterProblem.None, isBulk: IsCollection(valueType))
                : Problem(type, ParameterProblem.NeedsJsonContext);
        }

        /// <summary>The [SpoolJsonContext] type in scope: on a containing type (innermost first), else on the assembly.</summary>
        public static INamedTypeSymbol? FindJsonContext(IMethodSymbol method)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (JsonContextOf(type.GetAttributes()) is { } context) return context;
            }
            return JsonContextOf(method.ContainingAssembly.GetAttributes());
        }

        /// <summary>The first containing type not declared partial, if any.</summary>
        public static INamedTypeSymbol? FirstNonPartialContainer(IMethodSymbol method)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                bool partial = type.DeclaringSyntaxReferences.Length > 0 && type.DeclaringSyntaxReferences.All(r =>
                    r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
                if (!partial) return type;
            }
            return null;
        }

        /// <summary>Why the method's shape prevents dispatch (generic method or container, inaccessible container, interface), or null.</summary>
        public static string? ShapeProblem(IMethodSymbol method)
        {
            if (method.IsGenericMethod) return "a task method cannot be generic";
            if (method.MethodKind != MethodKind.Ordinary) return "only ordinary methods can be tasks";
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (type.IsGenericType) return $"its containing type {type.Name} is generic, so the dispatch table cannot name it";
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return $"its containing type {type.Name} must be a class or struct";
                if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    return $"its containing type {type.Name} is {type.DeclaredAccessibility.ToString().ToLowerInvariant()}, so the dispatch table cannot reach it";
                }
            }
            if (!method.IsStatic && method.ContainingType.IsStatic) return "an instance method cannot be in a static class";
            if (!method.IsStatic && method.ContainingType.TypeKind != TypeKind.Class) return "an instance task's type is resolved from the service provider and must be a class";
            if (method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(m => TaskAttributes(m).Length > 0) > 1)
            {
                return $"another task method of {method.ContainingType.Name} is also named {method.Name}; task methods cannot be overloaded";
            }
            if (!method.IsStatic && method.ContainingType.IsAbstract) return "an instance task's class is resolved from the service provider and cannot be abstract";
            return null;
        }

        /// <summary>The payload key of a parameter: its name as written, without the @ escape.</summary>
        public static string KeyOf(IParameterSymbol parameter) => parameter.Name;

        public static bool IsNamed(ITypeSymbol? type, string metadataName)
        {
            if (type is not INamedTypeSymbol named || named.ContainingType is not null) return false;
            string ns = named.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
            return ns + named.MetadataName == metadataName;
        }

        public static bool HasAttribute(ISymbol symbol, string metadataName)
            => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

        private static INamedTypeSymbol? JsonContextOf(ImmutableArray<AttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.SpoolJsonContextAttribute
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is INamedTypeSymbol context)
                {
                    return context;
                }
            }
            return null;
        }

        private static bool IsReadOnlyMemoryOfByte(ITypeSymbol type)
            => type is INamedTypeSymbol { IsGenericType: true } named && IsNamed(named.OriginalDefinition, KnownNames.ReadOnlyMemoryOfT)
               && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

        private static bool IsJsonCandidate(ITypeSymbol type)
        {
            if (type.SpecialType is SpecialType.System_Object or SpecialType.System_Delegate or SpecialType.System_MulticastDelegate) return false;
            if (type.TypeKind is TypeKind.Delegate or TypeKind.TypeParameter or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.Error) return false;
            if (type.IsRefLikeType) return false;
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (IsNamed(t, KnownNames.Stream)) return false;
            }
            return true;
        }

        private static bool IsCollection(ITypeSymbol type)
            => type is IArrayTypeSymbol || type.AllInterfaces.Any(i => IsNamed(i.OriginalDefinition, KnownNames.IEnumerableOfT));

        private static ParameterClass Payload(ParameterKind kind, bool optional, string? format, ITypeSymbol valueType)
            => new(kind, optional, format, valueType, ParameterProblem.None, isBulk: false);

        private static ParameterClass Injected(ParameterKind kind, ITypeSymbol type)
            => new(kind, false, null, type, ParameterProblem.None, isBulk: false);

        private static ParameterClass Problem(ITypeSymbol type, ParameterProblem problem)
            => new(ParameterKind.Text, false, null, type, problem, isBulk: false);
    }
}
