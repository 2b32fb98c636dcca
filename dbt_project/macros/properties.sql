{#- Names of deposits, zones and study subjects resolved to dim_property rows of the same
    company: an exact name match first, else a loose one (generic words such as "Project"
    or "Deposit" dropped) when it points at a single property. -#}

{% macro property_aliases(properties) -%}
    select
        company_id,
        'exact' as alias_kind,
        {{ property_key('property_name') }} as alias_key,
        property_id,
    from {{ properties }}
    union all
    select
        company_id,
        'loose' as alias_kind,
        match_key as alias_key,
        any_value(property_id) as property_id,
    from {{ properties }}
    where match_key is not null
    group by company_id, match_key
    having count(distinct property_id) = 1
{%- endmacro %}

{#- left joins that resolve name_expr; the result is `<prefix>_exact.property_id` /
    `<prefix>_loose.property_id` -#}
{% macro join_property_alias(aliases, prefix, company_expr, name_expr) -%}
    left join {{ aliases }} as {{ prefix }}_exact
        on {{ prefix }}_exact.company_id = {{ company_expr }}
        and {{ prefix }}_exact.alias_kind = 'exact'
        and {{ prefix }}_exact.alias_key = {{ property_key(name_expr) }}
    left join {{ aliases }} as {{ prefix }}_loose
        on {{ prefix }}_loose.company_id = {{ company_expr }}
        and {{ prefix }}_loose.alias_kind = 'loose'
        and {{ prefix }}_loose.alias_key = {{ property_match_key(name_expr) }}
{%- endmacro %}
