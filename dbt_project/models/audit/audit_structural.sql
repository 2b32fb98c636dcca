-- Error checks: a filing failing any of them is quarantined by int_filings_versioned and
-- reaches no mart. Computed from staging only, so it can sit upstream of the versioning.
{%- set allowed = allowed_values() %}
with

filings as (

    select * from {{ ref('stg_raw__filings') }}

),

parsed as (

    select * from filings where status = 'parsed'

),

tables as (

    select * from {{ ref('stg_raw__tables') }}

),

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

estimates as (

    select * from {{ ref('stg_raw__estimates') }}

),

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

properties as (

    select * from {{ ref('stg_raw__properties') }}

),

royalties as (

    select * from {{ ref('stg_raw__property_royalties') }}

),

expenditures as (

    select * from {{ ref('stg_raw__property_expenditures') }}

),

economics as (

    select * from {{ ref('stg_raw__economics') }}

),

issues as (

    select * from {{ ref('stg_raw__issues') }}

),

filing_parsed as (

    select
        'filing_parsed' as check_name,
        filing_id,
        'parse' as subject_key,
        'File ' || coalesce(source_file, filing_id) || ' parsed' as subject,
        null as table_index,
        null as source_line,
        0 as expected,
        case when status = 'parsed' then 0 else 1 end as observed,
        0 as tolerance,
        'failed parses' as unit,
        0 as lower_bound,
        0 as upper_bound,
        case when status = 'parsed' then 'status parsed' else 'status ' || status || ': ' || coalesce(error, 'no error recorded') end
            as detail,
    from filings

),

metadata_missing as (

    select
        filing_id,
        list_filter(
            [
                case when company_name is null then 'company name' end,
                case when period_end is null then 'period end' end
            ],
            lambda x: x is not null
        ) as missing,
    from parsed

),

filing_metadata as (

    select
        'filing_metadata' as check_name,
        filing_id,
        'metadata' as subject_key,
        case
            when len(missing) = 0 then 'Company name and period end present'
            else 'Missing ' || array_to_string(missing, ', ')
        end as subject,
        null as table_index,
        null as source_line,
        0 as expected,
        len(missing) as observed,
        0 as tolerance,
        'missing fields' as unit,
        0 as lower_bound,
        0 as upper_bound,
        'needed to name the company and place the filing in time' as detail,
    from metadata_missing

),

concatenations as (

    -- The parser's 'concatenated' issue (ingest.checks.concatenation): the file repeats
    -- itself or holds a second filing, so its records are doubled or misattributed.
    select
        filing_id,
        count(*) as findings,
        arg_min(source_line, issue_index) as source_line,
        arg_min(reason, issue_index) as reason,
    from issues
    where kind = 'concatenated'
    group by filing_id

),

single_filing as (

    select
        'single_filing' as check_name,
        parsed.filing_id,
        'single_filing' as subject_key,
        'The file holds one filing, once' as subject,
        null as table_index,
        concatenations.source_line,
        0 as expected,
        coalesce(concatenations.findings, 0) as observed,
        0 as tolerance,
        'repeats or second filings' as unit,
        0 as lower_bound,
        0 as upper_bound,
        coalesce(concatenations.reason, 'no repeat and no second filing') as detail,
    from parsed
    left join concatenations
        on parsed.filing_id = concatenations.filing_id

),

record_keys as (

    select filing_id, 'facts' as record_table, cast(fact_index as varchar) as record_key from facts
    union all
    select filing_id, 'estimates', cast(estimate_index as varchar) from estimates
    union all
    select filing_id, 'estimate_grades', cast(estimate_index as varchar) || '/' || coalesce(commodity, '') from grades
    union all
    select filing_id, 'properties', cast(property_index as varchar) from properties
    union all
    select filing_id, 'economics', cast(metric_index as varchar) from economics

),

record_tables as (

    select parsed.filing_id, t.record_table, t.key_columns
    from parsed
    cross join (
        values
            ('facts', 'fact_index'),
            ('estimates', 'estimate_index'),
            ('estimate_grades', 'estimate_index, commodity'),
            ('properties', 'property_index'),
            ('economics', 'metric_index')
    ) as t(record_table, key_columns)

),

duplicate_keys as (

    select
        filing_id,
        record_table,
        count(*) - count(distinct record_key) as duplicates,
        list(distinct record_key order by record_key) filter (where n > 1)[1:5] as examples,
    from (
        select *, count(*) over (partition by filing_id, record_table, record_key) as n
        from record_keys
    )
    group by filing_id, record_table

),

unique_keys as (

    select
        'unique_keys' as check_name,
        record_tables.filing_id,
        record_tables.record_table as subject_key,
        'Keys of ' || record_tables.record_table || ' (' || record_tables.key_columns || ') unique'
            as subject,
        null as table_index,
        null as source_line,
        0 as expected,
        coalesce(duplicate_keys.duplicates, 0) as observed,
        0 as tolerance,
        'duplicate keys' as unit,
        0 as lower_bound,
        0 as upper_bound,
        case
            when coalesce(duplicate_keys.duplicates, 0) = 0 then 'no duplicate key'
            else 'duplicated: ' || array_to_string(duplicate_keys.examples, ', ')
        end as detail,
    from record_tables
    left join duplicate_keys
        on record_tables.filing_id = duplicate_keys.filing_id
        and record_tables.record_table = duplicate_keys.record_table

),

orphans as (

    select grades.filing_id, 'grades_without_estimate' as relation,
        cast(grades.estimate_index as varchar) || '/' || coalesce(grades.commodity, '') as orphan
    from grades
    where not exists (
        select 1 from estimates
        where estimates.filing_id = grades.filing_id and estimates.estimate_index = grades.estimate_index
    )
    union all
    select royalties.filing_id, 'royalties_without_property',
        cast(royalties.property_index as varchar) || ' ' || coalesce(royalties.property_name, '')
    from royalties
    where not exists (
        select 1 from properties
        where properties.filing_id = royalties.filing_id and properties.property_index = royalties.property_index
    )
    union all
    select expenditures.filing_id, 'expenditures_without_property',
        cast(expenditures.property_index as varchar) || ' ' || coalesce(expenditures.property_name, '')
    from expenditures
    where not exists (
        select 1 from properties
        where properties.filing_id = expenditures.filing_id and properties.property_index = expenditures.property_index
    )
    union all
    select facts.filing_id, 'facts_without_table',
        'fact ' || cast(facts.fact_index as varchar) || ' table ' || cast(facts.table_index as varchar)
    from facts
    where facts.table_index is not null and not exists (
        select 1 from tables
        where tables.filing_id = facts.filing_id and tables.table_index = facts.table_index
    )
    union all
    select estimates.filing_id, 'estimates_without_table',
        'estimate ' || cast(estimates.estimate_index as varchar) || ' table ' || cast(estimates.table_index as varchar)
    from estimates
    where estimates.table_index is not null and not exists (
        select 1 from tables
        where tables.filing_id = estimates.filing_id and tables.table_index = estimates.table_index
    )

),

relations as (

    select parsed.filing_id, r.relation, r.description
    from parsed
    cross join (
        values
            ('grades_without_estimate', 'Every grade belongs to an estimate line'),
            ('royalties_without_property', 'Every royalty belongs to a property'),
            ('expenditures_without_property', 'Every expenditure belongs to a property'),
            ('facts_without_table', 'Every fact''s table_index is a table of the filing'),
            ('estimates_without_table', 'Every estimate''s table_index is a table of the filing')
    ) as r(relation, description)

),

no_orphans as (

    select
        'no_orphans' as check_name,
        relations.filing_id,
        relations.relation as subject_key,
        relations.description as subject,
        null as table_index,
        null as source_line,
        0 as expected,
        count(orphans.orphan) as observed,
        0 as tolerance,
        'orphan records' as unit,
        0 as lower_bound,
        0 as upper_bound,
        case
            when count(orphans.orphan) = 0 then 'none'
            else 'orphans: ' || array_to_string(list(orphans.orphan order by orphans.orphan)[1:5], '; ')
        end as detail,
    from relations
    left join orphans
        on relations.filing_id = orphans.filing_id
        and relations.relation = orphans.relation
    group by relations.filing_id, relations.relation, relations.description

),

domain_values as (

    select filing_id, 'estimate_category' as domain, category as value,
        category in {{ sql_list(allowed['estimate_category']) }} as is_allowed
    from estimates
    union all
    select filing_id, 'grade_unit', grade_unit,
        grade_unit in {{ sql_list(allowed['grade_unit']) }}
    from grades
    where grade is not null
    union all
    select filing_id, 'contained_unit', contained_unit,
        contained_unit in {{ sql_list(allowed['contained_unit']) }}
    from grades
    where contained is not null
    union all
    select filing_id, 'commodity', commodity,
        commodity in {{ sql_list(allowed['commodity']) }}
    from grades
    union all
    select filing_id, 'fact_unit', unit,
        regexp_full_match(unit, '{{ fact_unit_pattern() }}')
    from facts

),

domains as (

    select parsed.filing_id, d.domain, d.description
    from parsed
    cross join (
        values
            ('estimate_category', 'Estimate categories are known ones'),
            ('grade_unit', 'Grades are in % or g/t'),
            ('contained_unit', 'Contained metal is in Mlb or Moz'),
            ('commodity', 'Commodities are known symbols'),
            ('fact_unit', 'Fact units are a currency, <currency>/share or shares')
    ) as d(domain, description)

),

allowed_values as (

    select
        'allowed_values' as check_name,
        domains.filing_id,
        domains.domain as subject_key,
        domains.description as subject,
        null as table_index,
        null as source_line,
        0 as expected,
        count(domain_values.value) filter (where not coalesce(domain_values.is_allowed, false))
            + count(*) filter (where domain_values.domain is not null and domain_values.value is null)
            as observed,
        0 as tolerance,
        'values not allowed' as unit,
        0 as lower_bound,
        0 as upper_bound,
        coalesce(
            'not allowed: ' || array_to_string(
                list(distinct coalesce(domain_values.value, 'null'))
                    filter (where not coalesce(domain_values.is_allowed, false)),
                ', '
            ),
            'all allowed'
        ) as detail,
    from domains
    left join domain_values
        on domains.filing_id = domain_values.filing_id
        and domains.domain = domain_values.domain
    group by domains.filing_id, domains.domain, domains.description

),

fact_groups as (

    select
        filing_id,
        table_index,
        concept,
        period_end,
        months,
        unit,
        count(*) as n,
        min(value) as min_value,
        max(value) as max_value,
        list(source_line order by source_line) as lines,
        arg_min(label, source_line) as label,  -- the first printed, the same every build
    from facts
    where period_end is not null
    group by filing_id, table_index, concept, period_end, months, unit
    having count(*) > 1

),

no_conflicting_duplicates as (

    select
        'no_conflicting_duplicates' as check_name,
        filing_id,
        coalesce(cast(table_index as varchar), '-') || '|' || concept || '|' || {{ period_id('period_end', 'months') }}
            || '|' || coalesce(unit, '') as subject_key,
        {{ table_ref('table_index') }} || ' ''' || label || ''' (' || concept || '), '
            || {{ period_id('period_end', 'months') }} || ' printed ' || cast(n as varchar) || ' times'
            as subject,
        table_index,
        lines[1] as source_line,
        min_value as expected,
        max_value as observed,
        1e-9 * greatest(1.0, abs(min_value)) as tolerance,
        unit,
        min_value - 1e-9 * greatest(1.0, abs(min_value)) as lower_bound,
        min_value + 1e-9 * greatest(1.0, abs(min_value)) as upper_bound,
        'values from ' || {{ fmt('min_value', 2) }} || ' to ' || {{ fmt('max_value', 2) }}
            || ' at lines ' || array_to_string(lines, ', ') as detail,
    from fact_groups

),

instances as (

    select * from filing_parsed
    union all by name
    select * from filing_metadata
    union all by name
    select * from single_filing
    union all by name
    select * from unique_keys
    union all by name
    select * from no_orphans
    union all by name
    select * from allowed_values
    union all by name
    select * from no_conflicting_duplicates

),

final as (

    {{ audit_select('instances', 'structural', 'error') }}

)

select * from final
