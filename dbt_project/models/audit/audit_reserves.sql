-- Where the filing states its resources are inclusive of reserves, a deposit's proven +
-- probable reserve tonnage cannot exceed its measured + indicated resource tonnage (reserves
-- are converted from M+I). Deposits are matched on their names without generic words; a
-- reserve named "<Property> North Zone" matches a resource "North Zone". When the filing
-- states M+I more than once for a deposit (several tables or cut-offs), the largest
-- statement is the bound, so only a reserve no resource statement covers is flagged.
-- Sums are fsum(): plain sum() of doubles depends on the order rows arrive in, which varies
-- between builds, and an instance whose last bit moved would be validated again.
with

filings as (

    select * from {{ ref('stg_raw__filings') }}
    where resources_inclusive

),

estimates as (

    select
        estimates.*,
        {{ property_match_key('coalesce(estimates.deposit, estimates.label)') }} as deposit_key,
    from {{ ref('stg_raw__estimates') }} as estimates
    where estimates.filing_id in (select filing_id from filings)
        and estimates.tonnage_mt is not null

),

statements as (

    -- per deposit and statement (table, cut-off): the parts if printed, else the combined line
    select
        filing_id,
        deposit_key,
        table_index,
        cutoff_value,
        is_reserve,
        arg_min(coalesce(deposit, label), source_line) as deposit,
        min(source_line) as source_line,
        coalesce(
            fsum(tonnage_mt) filter (where not is_subtotal and category in ('proven', 'probable', 'measured', 'indicated')),
            max(tonnage_mt) filter (where category in ('proven_probable', 'measured_indicated'))
        ) as tonnage_mt,
        coalesce(
            fsum({{ half_unit('tonnage_half_unit', 'tonnage_mt') }})
                filter (where not is_subtotal and category in ('proven', 'probable', 'measured', 'indicated')),
            max({{ half_unit('tonnage_half_unit', 'tonnage_mt') }})
                filter (where category in ('proven_probable', 'measured_indicated'))
        ) as tonnage_hu,

    from estimates
    where deposit_key is not null
        and category in ('proven', 'probable', 'proven_probable', 'measured', 'indicated', 'measured_indicated')
    group by filing_id, deposit_key, table_index, cutoff_value, is_reserve

),

reserves as (

    select * from statements where is_reserve and tonnage_mt is not null

),

resources as (

    select * from statements where not is_reserve and tonnage_mt is not null

),

matched as (

    select
        reserves.*,
        resources.deposit as resource_deposit,
        resources.tonnage_mt as resource_tonnage,
        resources.tonnage_hu as resource_hu,
        resources.table_index as resource_table,
        resources.source_line as resource_line,

    from reserves
    inner join resources
        on reserves.filing_id = resources.filing_id
        and (
            reserves.deposit_key = resources.deposit_key
            or reserves.deposit_key like '%-' || resources.deposit_key
            or resources.deposit_key like '%-' || reserves.deposit_key
        )
    qualify row_number() over (
        partition by reserves.filing_id, reserves.deposit_key, reserves.table_index, reserves.cutoff_value
        order by resources.tonnage_mt desc, resources.table_index
    ) = 1

),

deposit_totals as (

    -- each deposit's largest statement, so a deposit printed twice is counted once
    select filing_id, is_reserve, deposit_key, max(tonnage_mt) as tonnage_mt,
        arg_max(tonnage_hu, tonnage_mt) as tonnage_hu,
    from statements
    where tonnage_mt is not null
    group by filing_id, is_reserve, deposit_key

),

filing_totals as (

    -- the same bound over the whole filing, which holds even where a reserve's deposit name
    -- matches no resource (a reserve table titled after a joint venture)
    select
        filing_id,
        fsum(tonnage_mt) filter (where is_reserve) as reserve_tonnage,
        fsum(tonnage_hu) filter (where is_reserve) as reserve_hu,
        count(*) filter (where is_reserve) as reserve_deposits,
        fsum(tonnage_mt) filter (where not is_reserve) as resource_tonnage,
        fsum(tonnage_hu) filter (where not is_reserve) as resource_hu,
        count(*) filter (where not is_reserve) as resource_deposits,
    from deposit_totals
    group by filing_id
    having count(*) filter (where is_reserve) > 0 and count(*) filter (where not is_reserve) > 0

),

instances as (

    select
        'reserve_within_resource' as check_name,
        filing_id,
        'filing' as subject_key,
        'All deposits: P+P reserve vs M+I resource' as subject,
        null as table_index,
        null as source_line,
        resource_tonnage as expected,
        reserve_tonnage as observed,
        reserve_hu + resource_hu as tolerance,
        'Mt' as unit,
        null as lower_bound,
        resource_tonnage + reserve_hu + resource_hu as upper_bound,
        'reserves ' || {{ fmt('reserve_tonnage', 2) }} || ' Mt in ' || cast(reserve_deposits as varchar)
            || ' deposit(s), M+I resources ' || {{ fmt('resource_tonnage', 2) }} || ' Mt in '
            || cast(resource_deposits as varchar) || ' deposit(s) (resources inclusive of reserves)'
            as detail,
    from filing_totals

    union all by name

    select
        'reserve_within_resource' as check_name,
        filing_id,
        deposit_key || '|' || cast(table_index as varchar) || '|' || coalesce(cast(cutoff_value as varchar), '') as subject_key,
        {{ table_ref('table_index') }} || ' ' || deposit || ' P+P reserve vs M+I resource (' || {{ table_ref('resource_table') }} || ' '
            || resource_deposit || ')' as subject,
        table_index,
        source_line,
        resource_tonnage as expected,
        tonnage_mt as observed,
        tonnage_hu + resource_hu as tolerance,
        'Mt' as unit,
        null as lower_bound,
        resource_tonnage + tonnage_hu + resource_hu as upper_bound,
        'reserve ' || {{ fmt('tonnage_mt', 2) }} || ' Mt, M+I resource ' || {{ fmt('resource_tonnage', 2) }}
            || ' Mt at line ' || cast(resource_line as varchar) || ' (resources inclusive of reserves)' as detail,
    from matched

),

final as (

    {{ audit_select('instances', 'mining_physics', 'warn') }}

)

select * from final
