"""Labels of the site: Chinese first, English on the switch. One entry per label: key → (中文, English)."""

from __future__ import annotations

LANGUAGES = ("中文", "English")

LABELS: dict[str, tuple[str, str]] = {
    "site": ("政务链乡村振兴平台 · 公开披露", "GovChain Rural Revitalization · Public disclosure"),
    "language": ("语言", "Language"),
    "section_overview": ("概览", "Overview"),
    "section_reports": ("综合报表", "Reports"),
    "section_disclosure": ("数据披露", "Disclosures"),
    "section_analysis": ("整体分析", "Analysis"),
    "section_check": ("查询与核验", "Check and verify"),
    "section_officials": ("办理情况", "For officials"),
    "overview": ("概览", "Overview"),
    "registrations": ("建档立卡报表", "Household registration"),
    "newly_poor": ("新增贫困报表", "Newly poor"),
    "exits": ("贫困退出报表", "Exits"),
    "ranking": ("脱贫地区排行", "Ranking of areas by exits"),
    "poverty_prone": ("贫困多发分布", "Poverty-prone areas"),
    "batches": ("资格批次", "Eligibility batches"),
    "self_check": ("户查询", "Household self-check"),
    "verify": ("核验", "Verify"),
    "officials": ("待办审批与异议", "Pending approvals and objections"),
    "portraits": ("乡村画像", "Village portraits"),
    "root_causes": ("根因分析", "Root causes"),
    "village_classes": ("乡村分类", "Village classification"),
    "class_agglomeration": ("集聚提升", "Agglomeration & upgrading"),
    "class_suburban": ("城郊融合", "Suburban integration"),
    "class_characteristic": ("特色保护", "Characteristic protection"),
    "class_relocation": ("搬迁撤并", "Relocation & merger"),
    "rule_traditional_village": ("列入传统村落名录", "on the traditional-village list"),
    "rule_hazard_zone": ("位于灾害隐患区", "in a hazard zone"),
    "rule_disaster_households": ("受灾户占比高", "many households hit by disasters"),
    "rule_population_loss": ("人口严重流失", "severe population loss"),
    "rule_near_county_seat": ("邻近县城", "near the county seat"),
    "rule_non_farm_income": ("非农收入为主", "mostly non-farm income"),
    "rule_default": ("其余村庄", "none of the above"),
    "village_classes_note": (
        "分类规则（先符合者优先）：列入传统村落名录 → 特色保护；位于灾害隐患区、受灾户占比 ≥ 20% 或人口严重流失"
        "（不足 300 人、60 岁以上占比 ≥ 35%、少儿与老人之比 < 0.5）→ 搬迁撤并；距县城 ≤ 5 公里（无距离时非农收入占比 ≥ 90%）"
        "→ 城郊融合；其余 → 集聚提升。名录与距离来自县级村庄规划清单。",
        "Rules, first match wins: on the traditional-village list → characteristic protection; in a hazard zone, "
        "20% or more households hit by disasters, or severe population loss (under 300 persons, 35% or more aged 60+, "
        "fewer than 0.5 children per elderly) → relocation & merger; within 5 km of the county seat (without a "
        "distance: 90% or more non-farm income) → suburban integration; otherwise agglomeration & upgrading. Lists "
        "and distances come from the county's village planning records."),
    "registered": ("已建档立卡户", "Registered households"),
    "exited": ("已退出户", "Exited households"),
    "monitoring": ("监测户", "Households under monitoring"),
    "pending": ("待审批程序", "Procedures pending approval"),
    "in_notice": ("公示中", "In public notice"),
    "open_objections": ("未处理异议", "Open objections"),
    "final_batches": ("已生效资格批次", "Final eligibility batches"),
    "latest_block": ("最新索引区块", "Latest indexed block"),
    "pipeline_households": ("数据中心户数", "Households in the data"),
    "pipeline_persons": ("数据中心人数", "Persons in the data"),
    "pipeline_admitted": ("模型建议纳入", "Admitted by the model"),
    "pipeline_monitored": ("模型建议监测", "Monitored by the model"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_iati": ("下载 IATI 2.03 XML（资金交易）", "Download IATI 2.03 XML (fund transactions)"),
    "iati_note": ("国际援助透明度倡议（IATI）活动标准 2.03：每个扶持计划一个活动，每笔资金流动一笔交易（到户发放按批次汇总，不含户编号）。",
                  "IATI activity standard 2.03: one activity per support plan, one transaction per money movement "
                  "(payments to households summed per batch, no household ids)."),
    "fund_export": ("资金数据导出", "Fund data export"),
    "verify_this": ("核验此项", "Verify this item"),
    "tx_hash": ("交易哈希", "Transaction hash"),
    "log_index": ("日志序号", "Log index"),
    "pick_item": ("选择要核验的记录", "Pick an item to verify"),
    "run_verify": ("核验", "Verify"),
    "verified": ("核验通过：与链上及 IPFS 一致", "Verified: matches the chain and IPFS"),
    "not_verified": ("核验未通过", "Not verified"),
    "card_value": ("户卡编号（0x 开头 64 位十六进制）", "Household card value (0x and 64 hex digits)"),
    "card_image": ("或上传户卡二维码图片", "or upload a photo of the card's QR code"),
    "check": ("查询", "Check"),
    "status": ("当前状态", "Current status"),
    "history": ("办理记录", "History"),
    "proof_ok": ("资格证明已在链上验证", "Eligibility proof verified on chain"),
    "proof_failed": ("资格证明未能验证", "Eligibility proof could not be verified"),
    "no_household": ("链上没有该户的记录", "No record of this household on chain"),
    "pending_by_level": ("按层级和区域的待审批", "Pending approvals by level and region"),
    "overdue": ("超期与已升级", "Overdue and escalated"),
    "objections": ("未处理异议", "Open objections"),
    "map": ("分布图（示意布局，非真实边界）", "Map (schematic tile layout, not real boundaries)"),
    "suppressed_note": ("小于 5 的数值已隐去（<5），以保护个人隐私。",
                        "Values below 5 are suppressed (<5) to protect privacy."),
    "no_data": ("暂无数据", "No data yet"),
    "not_built": ("尚未上线", "Not available yet"),
    "all_events": ("最新链上记录", "Latest chain records"),
    "by_township": ("按乡镇", "By township"),
    "by_village": ("按村", "By village"),
    "plans": ("扶持计划披露", "Support plans"),
    "fund_use": ("资金使用情况", "Fund use"),
    "material_use": ("物资使用情况", "Material use"),
    "effectiveness": ("振兴项目成效", "Project effectiveness"),
    "major_events": ("重大事件披露", "Major events and reports"),
    "support_share": ("扶持类型占比", "Support-type share"),
    "category_share": ("项目类别占比", "Project-category share"),
    "fund_map": ("资金分布图", "Fund map"),
    "effectiveness_map": ("成效分布图", "Effectiveness map"),
    "assessments": ("整体考核", "Assessment results"),
    "milestones": ("里程碑", "Milestones"),
    "appropriations": ("预算指标", "Appropriations"),
    "group_by": ("汇总方式", "Group by"),
    "by_plan": ("按计划", "By plan"),
    "by_region": ("按区域", "By region"),
    "by_support_type": ("按扶持类型", "By support type"),
    "by_year": ("按年度", "By year"),
    "procurements": ("商品采购", "Procurements"),
    "pledges": ("企业与社会帮扶承诺", "Enterprise and social pledges"),
    "appropriated": ("已批预算（元）", "Appropriated (yuan)"),
    "minted": ("已拨付额度（元）", "Minted (yuan)"),
    "escrowed": ("已划入计划（元）", "Escrowed (yuan)"),
    "released": ("已释放（元）", "Released (yuan)"),
    "paid": ("已支付（元）", "Paid (yuan)"),
    "returned": ("已退回（元）", "Returned (yuan)"),
    "raised": ("社会筹集（元）", "Raised (yuan)"),
    "instructed": ("银行待确认（元）", "Awaiting bank (yuan)"),
    "fund_flows_note": ("金额为累计流量：划入计划、释放、支付（含供应商货款与众筹发放）、退回；户数小于 5 隐去。",
                        "Amounts are cumulative flows: escrowed, released, paid (suppliers and crowdfunded payments "
                        "included), returned; household counts below 5 are suppressed."),
    "material_note": ("采购量 = 库存 + 在途 + 已发放 + 损耗。", "Procured = in stock + in transit + delivered + lost."),
    "village_map_note": ("地图只显示村级计划；乡镇和县级计划见表格。",
                         "The map shows village plans only; township and county plans are in the tables."),
    "by_budget": ("按预算", "By budget"),
    "by_count": ("按计划数", "By number of plans"),
    "pick_assessment": ("选择考核期", "Pick an assessment"),
    "kpi_table": ("考核指标表（来自 IPFS 结果文件）", "KPI table (from the results document on IPFS)"),
    "results_verified": ("结果文件的 CID 与链上默克尔根均已核验", "The results document's CID and the on-chain root both check"),
    "results_unverified": ("结果文件不可用或未通过核验", "The results document is unavailable or does not check"),
    "open_cases": ("监督事项（冻结与标记）", "Supervision cases (freezes and flags)"),
    "overdue_visits": ("逾期未回访", "Overdue follow-up visits"),
    "support_received": ("扶持记录", "Support received"),
    "document": ("文件内容", "Document"),
    "pick_disclosure": ("查看披露文件", "Show a disclosure's document"),
    "plans_count": ("扶持计划", "Support plans"),
    "plans_executing": ("实施中计划", "Plans executing"),
    "delivered": ("已发放物资（件）", "Materials delivered (units)"),
    "open_freezes": ("监督冻结中", "Open freezes"),
    "disclosures_count": ("重大事件与报告", "Disclosures"),
}


# Values shown in charts (tables keep the codes): support types and statuses by their names in the data.
VALUES: dict[str, tuple[str, str]] = {
    "policy": ("政策", "policy"), "project": ("项目", "project"), "fund": ("资金", "fund"),
    "material": ("物资", "material"), "industry": ("产业", "industry"), "enterprise": ("企业", "enterprise"),
    "social": ("社会", "social"), "crowdfunding": ("众筹", "crowdfunding"),
}


# Table columns: shown under these headers (the data and the tests keep the column names).
COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("区域代码", "Region"), "county": ("县", "County"), "township": ("乡镇", "Township"),
    "households": ("户数", "Households"), "persons": ("人数", "Persons"), "registered": ("建档立卡户", "Registered"),
    "admitted": ("新纳入户", "Admitted"), "admitted_persons": ("新纳入人数", "Admitted persons"),
    "exits": ("退出户", "Exits"), "exit_rate": ("退出率", "Exit rate"), "monitored": ("监测户", "Monitored"),
    "filed_on_chain": ("链上已申报", "Filed on chain"), "registered_on_chain": ("链上已建档", "Registered on chain"),
    "exited_on_chain": ("链上已退出", "Exited on chain"), "monitoring_on_chain": ("链上监测", "Monitoring on chain"),
    "pending": ("待审批", "Pending"), "returned": ("退回", "Returned"),  # a procedure returned for revision, or funds returned "in_notice": ("公示中", "In notice"),
    "stopped": ("已终止", "Stopped"), "completed": ("已完成", "Completed"), "rejected": ("已驳回", "Rejected"),
    "household_id": ("户编号（假名）", "Household id (pseudonymous)"), "status": ("状态", "Status"),
    "since": ("起始时间", "Since"), "subject": ("事项编号", "Subject"), "kind": ("类型", "Kind"),
    "level": ("审批层级", "Level"), "role": ("角色", "Role"), "level_region": ("审批区域", "Approving region"),
    "approvals": ("已批准数", "Approvals"), "threshold": ("所需批准数", "Threshold"), "deadline": ("期限", "Deadline"),
    "overdue": ("超期", "Overdue"), "escalated": ("已升级", "Escalated"), "objection_id": ("异议编号", "Objection"),
    "evidence_cid": ("证据 CID", "Evidence CID"), "raised_time": ("提出时间", "Raised"),
    "batch_id": ("批次编号", "Batch id"), "scope": ("范围", "Scope"), "root": ("默克尔根", "Merkle root"),
    "leaf_count": ("户数", "Leaves"), "votes": ("预言机投票", "Oracle votes"), "final": ("已生效", "Final"),
    "manifest_cid": ("清单 CID", "Manifest CID"), "committed_time": ("提交时间", "Committed"),
    "finalized_time": ("生效时间", "Finalized"), "tx_hash": ("交易哈希", "Transaction"),
    "log_index": ("日志序号", "Log index"), "block": ("区块", "Block"), "time": ("时间", "Time"),
    "contract": ("合约", "Contract"), "event": ("事件", "Event"), "args": ("参数", "Arguments"),
    "detail": ("说明", "Detail"), "check": ("核验项", "Check"), "ok": ("通过", "Passed"),
    "rank": ("名次", "Rank"), "area": ("地区", "Area"), "cause": ("原因代码", "Cause code"),
    "cause_label": ("致贫原因", "Root cause"), "poor_or_at_risk_rate": ("贫困及风险户占比", "Poor or at-risk share"),
    "county_rate": ("全县占比", "County share"), "poverty_prone": ("贫困多发", "Poverty-prone"),
    "mean_income_per_capita": ("人均收入（元）", "Income per capita (yuan)"),
    "value": ("数量", "Count"), "variable": ("指标", "Measure"), "procedures": ("程序数", "Procedures"),
    "stage": ("阶段", "Stage"),
    "village_class": ("分类", "Class"), "rule": ("依据", "Rule"), "villages": ("村数", "Villages"),
    "elderly_share": ("60岁以上占比", "Aged 60+ share"), "children_per_elderly": ("少儿/老人", "Children per elderly"),
    "non_farm_income_share": ("非农收入占比", "Non-farm income share"),
    "disaster_household_share": ("受灾户占比", "Disaster-hit households"),
    "traditional_village": ("传统村落", "Traditional village"), "hazard_zone": ("灾害隐患区", "Hazard zone"),
    "distance_to_county_km": ("距县城（公里）", "To county seat (km)"),
    "plan_id": ("计划编号", "Plan"), "version": ("版本", "Version"), "support_type": ("扶持类型", "Support type"),
    "category": ("类别代码", "Category"), "budget": ("预算（元）", "Budget (yuan)"), "frozen": ("已冻结", "Frozen"),
    "milestones": ("里程碑（已批/总数）", "Milestones (approved/all)"),
    "milestones_approved": ("已批里程碑", "Milestones approved"), "milestones_total": ("里程碑总数", "Milestones"),
    "document_cid": ("文件 CID", "Document CID"), "drafted_time": ("起草时间", "Drafted"),
    "milestone": ("里程碑序号", "Milestone"), "amount": ("金额/数量", "Amount"), "due": ("到期", "Due"),
    "milestone_status": ("里程碑状态", "Milestone status"), "deliverable_cid": ("交付物 CID", "Deliverable CID"),
    "indicator": ("绩效指标", "Indicator"), "target": ("目标值", "Target"), "actual": ("实际值", "Actual"),
    "attainment": ("完成率", "Attainment"), "plans": ("计划数", "Plans"), "budget_share": ("预算占比", "Budget share"),
    "plans_reported": ("已报成效计划数", "Plans reported"), "mean_attainment": ("平均完成率", "Mean attainment"),
    "appropriation_id": ("预算指标编号", "Appropriation"), "year": ("年度", "Year"),
    "budget_line": ("预算科目", "Budget line"), "cap": ("额度（元）", "Cap (yuan)"),
    "appropriation_status": ("指标状态", "Appropriation status"), "minted": ("已拨付（元）", "Minted (yuan)"),
    "escrowed": ("划入计划（元）", "Escrowed (yuan)"), "released": ("已释放（元）", "Released (yuan)"),
    "instructed": ("银行待确认（元）", "Awaiting bank (yuan)"), "paid": ("已支付（元）", "Paid (yuan)"),
    "raised": ("社会筹集（元）", "Raised (yuan)"),
    "households_paid": ("受益户数", "Households paid"), "procurement_id": ("采购编号", "Procurement"),
    "kind_id": ("物资种类", "Material kind"), "warehouse": ("仓库区域", "Warehouse"), "quantity": ("数量", "Quantity"),
    "unit_price": ("单价（元）", "Unit price (yuan)"), "procurement_status": ("采购状态", "Procurement status"),
    "invoice_cid": ("发票 CID", "Invoice CID"), "unit": ("单位", "Unit"), "procured": ("采购入库", "Procured"),
    "in_stock": ("库存", "In stock"), "in_transit": ("在途", "In transit"), "delivered": ("已发放", "Delivered"),
    "lost": ("损耗", "Lost"), "households_served": ("受益户数", "Households served"),
    "pledge_id": ("承诺编号", "Pledge"), "pledge_kind": ("承诺类型", "Pledge kind"),
    "fulfilled": ("已兑现", "Fulfilled"), "terms_cid": ("条款 CID", "Terms CID"),
    "disclosure_id": ("披露编号", "Disclosure"), "disclosure_kind": ("披露类型", "Kind"), "cid": ("文件 CID", "CID"),
    "corrects": ("更正披露", "Corrects"), "publisher": ("发布账户", "Publisher"),
    "assessment_id": ("考核编号", "Assessment"), "period_start": ("考核期起", "Period start"),
    "period_end": ("考核期止", "Period end"), "agreement": ("共识状态", "Agreement"),
    "conflicts": ("分歧数", "Conflicts"), "rows": ("指标行数", "Rows"), "method_cid": ("方法 CID", "Method CID"),
    "results_cid": ("结果 CID", "Results CID"), "entity": ("对象类型", "Entity"), "entity_id": ("对象编号", "Entity id"),
    "kpi": ("指标代码", "KPI"), "case_id": ("监督事项编号", "Case"), "what": ("监督对象", "Target"),
    "target_id": ("对象编号", "Target id"), "reason_cid": ("理由 CID", "Reason CID"),
    "marked": ("已登记逾期", "Marked overdue"), "support": ("扶持事项", "Support"),
}


# The pipeline's reason columns (data_pipeline/README.md, reason-code bits), alone or as "admitted_<reason>".
REASONS: dict[str, tuple[str, str]] = {
    "income_below_line": ("收入低于标准", "income below the line"),
    "food_clothing_insecure": ("吃穿未保障", "food or clothing insecure"),
    "compulsory_education_not_met": ("义务教育未保障", "compulsory education not met"),
    "basic_medical_not_insured": ("基本医疗未保障", "basic medical care not insured"),
    "housing_unsafe": ("住房不安全", "housing unsafe"),
    "drinking_water_unsafe": ("饮水不安全", "drinking water unsafe"),
    "income_below_monitoring_line": ("收入低于监测线", "income below the monitoring line"),
    "rigid_expenditure_above_income": ("刚性支出超收入", "rigid spending above income"),
    "sudden_hardship": ("突发困难", "sudden hardship"),
}


def column_label(name: str, language: str = LANGUAGES[0]) -> str:
    """The header of a table column (the column's own name when it has no label)."""
    english = language == "English"
    if name in COLUMNS:
        return COLUMNS[name][english]
    reason = name.removeprefix("admitted_")
    if reason in REASONS:
        text = REASONS[reason][english]
        return text if reason == name else (f"新纳入：{text}" if not english else f"admitted: {text}")
    return name


def value_label(value: str, language: str = LANGUAGES[0]) -> str:
    """A value shown in a chart (a support type's name) in the chosen language."""
    if value in VALUES:
        return VALUES[value][language == "English"]
    return str(value)


def label(key: str, language: str = LANGUAGES[0]) -> str:
    zh, en = LABELS[key]
    return en if language == "English" else zh
