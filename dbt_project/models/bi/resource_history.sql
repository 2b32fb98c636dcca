with

figures as (

    select * from {{ ref('int_estimate_figures_compared') }}

),

filings as (

    select * from {{ ref('dim_filing') }}

),

companies as (

    select * from {{ ref('dim_company') }}

),

estimates as (

    -- one estimate: a deposit (and zone), category and cut-off as at an effective date; its
    -- attributes as the latest filing printing it has them
    select
        company_id,
        deposit_key,
        zone_key,
        category,
        cutoff_key,
        effective_date,
        arg_max(deposit, filed_order) as deposit,
        arg_max(zone, filed_order) as zone,
        arg_max(property_id, filed_order) as property_id,
        arg_max(is_reserve, filed_order) as is_reserve,
        arg_max(is_subtotal, filed_order) as is_subtotal,
        arg_max(cutoff_value, filed_order) as cutoff_value,
        arg_max(cutoff_unit, filed_order) as cutoff_unit,
        arg_min(filing_id, filed_order) as first_filing_id,
        arg_max(filing_id, filed_order) as latest_filing_id,
        arg_max(source_line, filed_order) as latest_source_line,
        count(distinct filing_id) as filing_count,
        max(value) filter (where quantity = 'tonnage' and is_latest) as tonnage_mt,
        coalesce(bool_or(is_restated) filter (where quantity = 'tonnage'), false)
            as tonnage_is_restated,

    from figures
    group by company_id, deposit_key, zone_key, category, cutoff_key, effective_date

),

commodities as (

    select
        company_id,
        deposit_key,
        zone_key,
        category,
        cutoff_key,
        effective_date,
        commodity,
        max(value) filter (where quantity = 'grade' and is_latest) as grade,
        max(unit) filter (where quantity = 'grade' and is_latest) as grade_unit,
        max(value) filter (where quantity = 'contained' and is_latest) as contained,
        max(unit) filter (where quantity = 'contained' and is_latest) as contained_unit,
        bool_or(is_restated) as is_restated,

    from figures
    where quantity in ('grade', 'contained')
    group by company_id, deposit_key, zone_key, category, cutoff_key, effective_date, commodity

),

rows_by_commodity as (

    -- an estimate without any grade keeps one row, commodity null
    select
        estimates.*,
        commodities.commodity,
        commodities.grade,
        commodities.grade_unit,
        commodities.contained,
        commodities.contained_unit,
        estimates.tonnage_is_restated or coalesce(commodities.is_restated, false) as is_restated,

    from estimates
    left join commodities
        on estimates.company_id = commodities.company_id
        and estimates.deposit_key = commodities.deposit_key
        and estimates.zone_key = commodities.zone_key
        and estimates.category = commodities.category
        and estimates.cutoff_key = commodities.cutoff_key
        and estimates.effective_date is not distinct from commodities.effective_date

),

with_previous as (

    select
        *,
        lag(effective_date) over series as previous_effective_date,
        lag(tonnage_mt) over series as previous_tonnage_mt,
        lag(grade) over series as previous_grade,
        lag(contained) over series as previous_contained,

    from rows_by_commodity
    window series as (
        partition by company_id, deposit_key, zone_key, category, cutoff_key, commodity
        order by effective_date
    )

),

final as (

    select
        with_previous.company_id,
        companies.company_name,
        with_previous.deposit,
        with_previous.deposit_key,
        with_previous.zone,
        with_previous.zone_key,
        with_previous.property_id,
        with_previous.category,
        with_previous.is_reserve,
        with_previous.is_subtotal,
        with_previous.cutoff_value,
        with_previous.cutoff_unit,
        with_previous.effective_date,
        with_previous.commodity,
        with_previous.tonnage_mt,
        with_previous.grade,
        with_previous.grade_unit,
        with_previous.contained,
        with_previous.contained_unit,
        with_previous.previous_effective_date,
        with_previous.previous_tonnage_mt,
        -- rounded to 9 decimals: figures are printed to 4 at most, the rest is binary noise
        round(with_previous.tonnage_mt - with_previous.previous_tonnage_mt, 9)
            as tonnage_change_mt,
        100 * (with_previous.tonnage_mt - with_previous.previous_tonnage_mt)
            / nullif(with_previous.previous_tonnage_mt, 0) as tonnage_change_pct,
        with_previous.previous_grade,
        round(with_previous.grade - with_previous.previous_grade, 9) as grade_change,
        100 * (with_previous.grade - with_previous.previous_grade)
            / nullif(with_previous.previous_grade, 0) as grade_change_pct,
        with_previous.previous_contained,
        round(with_previous.contained - with_previous.previous_contained, 9) as contained_change,
        100 * (with_previous.contained - with_previous.previous_contained)
            / nullif(with_previous.previous_contained, 0) as contained_change_pct,
        with_previous.is_restated,
        with_previous.filing_count,
        with_previous.first_filing_id,
        first_filing.source_file as first_source_file,
        with_previous.latest_filing_id,
        latest_filing.source_file as latest_source_file,
        with_previous.latest_source_line,

    from with_previous
    left join filings as first_filing
        on with_previous.first_filing_id = first_filing.filing_id
    left join filings as latest_filing
        on with_previous.latest_filing_id = latest_filing.filing_id
    left join companies
        on with_previous.company_id = companies.company_id

)

select * from final
