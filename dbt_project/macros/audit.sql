{#- Shared shape of the audit models: one row per check instance, pass or fail, under the
    enforced check-instance contract. An instance passes iff observed lies within
    [lower_bound, upper_bound]; a null bound is unbounded on that side. -#}

{#- The final select of every audit_<family> model: one row per check instance, with the
    columns and types of the model's contract (the check-instance contract in
    models/audit/_audit.yml), in its order. `instances` has check_name, filing_id,
    subject_key (stable within the filing) and every other contract column but those
    derived here: the check id, the family and severity, the filing's company and file. -#}
{% macro audit_select(instances, family, severity) -%}
    {%- set derived = {
        'check_id': "md5(" ~ instances ~ ".check_name || '|' || " ~ instances ~ ".filing_id || '|' || "
            ~ instances ~ ".subject_key)",
        'check_family': "'" ~ family ~ "'",
        'severity': "'" ~ severity ~ "'",
        'company_id': 'audited_filings.company_id',
        'source_file': 'audited_filings.source_file',
    } -%}
    {%- set columns = model['columns'].values() | list -%}
    {%- if execute and model['resource_type'] == 'unit_test' %}
    {#- a dbt unit test compiles the model under its own node, without the contract: the same
        columns by name (a unit test's expectation names the ones it checks) -#}
    select
        {%- for name, expr in derived.items() %}
        {{ expr }} as {{ name }},
        {%- endfor %}
        {{ instances }}.* exclude (subject_key)
    from {{ instances }}
    {%- else -%}
    {%- if execute and not columns -%}
        {{ exceptions.raise_compiler_error(model['name'] ~ ': an audit model needs the check-instance contract (_audit.yml)') }}
    {%- endif %}
    select
        {%- for column in columns %}
        cast({{ derived.get(column['name'], instances ~ '.' ~ column['name']) }} as {{ column['data_type'] }})
            as {{ column['name'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ instances }}
    {%- endif %}
    left join {{ ref('stg_raw__filings') }} as audited_filings
        on {{ instances }}.filing_id = audited_filings.filing_id
    where {{ instances }}.observed is not null
{%- endmacro %}

{#- half a unit of the last printed digit: the parser's when it recorded one, else read off
    the stored value's decimals (0.87 -> 0.005, 2548 -> 0.5). Trailing zeros of a whole
    number are taken as printed digits (500 -> 0.5, not 50): reading them as rounding would
    let an NPV of 500 pass for 400. -#}
{% macro half_unit(half_unit_expr, value_expr) -%}
    coalesce(
        {{ half_unit_expr }},
        case
            when {{ value_expr }} is null then null
            when {{ value_expr }} = 0 then 0.0
            else 0.5 * power(
                10.0,
                -coalesce(
                    list_min(
                        list_filter(
                            range(0, 10),
                            lambda k: abs({{ value_expr }} - round({{ value_expr }}, cast(k as integer)))
                                <= 1e-9 * greatest(1.0, abs({{ value_expr }}))
                        )
                    ),
                    9
                )
            )
        end
    )
{%- endmacro %}

{#- "Table 4 'Net loss'"-style fragments. Tables are counted from 1 in the order they appear,
    as a reader counts them (table_index itself is 0-based). -#}
{% macro table_ref(table_index_expr) -%}
    coalesce('Table ' || cast({{ table_index_expr }} + 1 as varchar), 'text')
{%- endmacro %}

{#- a number with a fixed count of decimals, for detail texts: "ratio 0.998" -#}
{% macro fmt(expr, decimals=3) -%}
    coalesce(printf('%.{{ decimals }}f', {{ expr }}), 'null')
{%- endmacro %}

{#- The values the warehouse accepts, by domain: the var allowed_values of dbt_project.yml,
    their one source (Python's Great Expectations suites read the same var). -#}
{% macro allowed_values() -%}
    {{ return(var('allowed_values')) }}
{%- endmacro %}

{#- a fact's unit, as a regular expression the whole unit must match (var fact_unit_pattern) -#}
{% macro fact_unit_pattern() -%}
    {{ return(var('fact_unit_pattern')) }}
{%- endmacro %}

{% macro sql_list(values) -%}
    ({% for v in values %}'{{ v }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
