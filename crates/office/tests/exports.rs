//! Every export, read back with calamine: headers word for word as
//! FORMS.md gives them, the merged title, the 合计 row, and for Attachment
//! 4 the figures of the visit logs.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use fieldledger_model::tally::{Attachment4, Period, WorkItem};
use fieldledger_office::coverage::{self, CoverageInput};
use fieldledger_office::spotcheck::{self, Drawn, SampleSize};
use fieldledger_office::{
    Heading, UTF8_BOM, attachment2, attachment3, attachment4, attachment5, table_to_csv,
    table_to_xlsx,
};

/// Header rows start here in every statistics table (title, 填报 line,
/// spacer above).
const HEADER_ROW: usize = 3;

fn heading() -> Heading {
    Heading::new(
        "测试市产业指导员联络办公室",
        NaiveDate::from_ymd_opt(2024, 6, 15).unwrap(),
    )
}

fn read(bytes: Vec<u8>) -> (Range<Data>, Vec<Dimensions>) {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let merges = book.merge_cells_by_sheet_name(&name).unwrap();
    (range, merges)
}

fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    range
        .get_value((row as u32, col as u32))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn number(range: &Range<Data>, row: usize, col: usize) -> f64 {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("no number at ({row}, {col}): {other:?}"),
    }
}

fn row_texts(range: &Range<Data>, row: usize, cols: std::ops::Range<usize>) -> Vec<String> {
    cols.map(|c| text(range, row, c)).collect()
}

/// The row whose first cell is `label`.
fn find_row(range: &Range<Data>, label: &str) -> usize {
    (0..range.height())
        .find(|r| text(range, *r, 0) == label)
        .unwrap()
}

fn assert_title(range: &Range<Data>, merges: &[Dimensions], title: &str, last_col: u32) {
    assert_eq!(text(range, 0, 0), title);
    assert!(
        merges
            .iter()
            .any(|m| m.start == (0, 0) && m.end == (0, last_col)),
        "title not merged across the table: {merges:?}"
    );
    assert!(text(range, 1, 0).starts_with("填报单位：测试市"));
}

#[test]
fn attachment2_roster_reads_back() {
    let instructors = common::instructors(9, 1);
    let households = common::households(100, &instructors, 2);
    let counts = common::guided_counts(&households);
    let table = attachment2::table(&instructors, &counts, heading());
    let (range, merges) = read(table_to_xlsx(&table).unwrap());

    // FORMS.md, Attachment 2.
    let expected = [
        "序号",
        "县名",
        "姓名",
        "性别",
        "出生年月",
        "政治面貌",
        "学历",
        "专业",
        "工作单位",
        "职称或职务",
        "手机号码",
        "指导员来源",
        "指导贫困乡村名称",
        "指导贫困农户数量（户）",
    ];
    assert_eq!(row_texts(&range, HEADER_ROW, 0..14), expected);
    assert_title(&range, &merges, "贫困户产业指导员人员信息台账表", 13);
    assert_eq!(text(&range, HEADER_ROW + 1, 2), instructors[0].name);
    assert_eq!(text(&range, HEADER_ROW + 1, 10), instructors[0].mobile);

    let total = find_row(&range, "合计");
    assert_eq!(total, HEADER_ROW + 1 + instructors.len());
    let sum: f64 = (HEADER_ROW + 1..total).map(|r| number(&range, r, 13)).sum();
    assert_eq!(number(&range, total, 13), sum);
    assert_eq!(
        sum as usize,
        households
            .iter()
            .filter(|h| h.instructor_id.is_some())
            .count()
    );
    assert!(text(&range, total + 1, 0).contains("指导员来源分为以下类型"));
}

#[test]
fn attachment3_has_grouped_headers_and_sums() {
    let instructors = common::instructors(14, 3);
    let households = common::households(150, &instructors, 4);
    let villages = common::villages();
    let input = CoverageInput {
        households: &households,
        instructors: &instructors,
        villages: &villages,
    };
    let rows = coverage::attachment3_rows(&input);
    let table = attachment3::table(&rows, heading());
    let (range, merges) = read(table_to_xlsx(&table).unwrap());

    assert_title(&range, &merges, "贫困户产业指导员基本情况统计表", 22);
    // FORMS.md, Attachment 3: groups on the first header row.
    let top = row_texts(&range, HEADER_ROW, 0..10);
    assert_eq!(&top[..3], ["序号", "县名", "贫困乡镇数量"]);
    assert_eq!(top[4], "贫困村数量");
    assert_eq!(top[6], "贫困户数");
    assert_eq!(top[8], "产业指导员选聘人数");
    let second = row_texts(&range, HEADER_ROW + 1, 2..10);
    assert_eq!(
        second,
        [
            "总数",
            "其中有产业指导员的乡镇数",
            "总数",
            "其中有产业指导员的村数",
            "总数",
            "其中有产业指导员指导的户数",
            "总计",
            "选聘人员来源情况"
        ]
    );
    let sources = [
        "驻村工作队队员",
        "第一书记",
        "结对帮扶干部",
        "村组干部",
        "县乡基层农技人员",
        "大专院校专家",
        "科研教学单位专家",
        "土专家",
        "种养能手",
        "致富带头人",
        "特聘农技员",
        "返乡创业人员",
        "新型经营主体带头人",
        "其他",
    ];
    assert_eq!(row_texts(&range, HEADER_ROW + 2, 9..23), sources);
    for (start, end) in [
        ((3, 2), (3, 3)),
        ((3, 8), (3, 22)),
        ((4, 9), (4, 22)),
        ((3, 0), (5, 0)),
        ((4, 2), (5, 2)),
    ] {
        assert!(
            merges.iter().any(|m| m.start == start && m.end == end),
            "{start:?}-{end:?} not merged"
        );
    }
    assert!(text(&range, 1, 12).contains("单位：个、户、人"));

    let first = HEADER_ROW + 3;
    let total = find_row(&range, "合计");
    assert_eq!(total - first, 3, "one row per county");
    for col in 2..23 {
        let sum: f64 = (first..total).map(|r| number(&range, r, col)).sum();
        assert_eq!(number(&range, total, col), sum, "column {col}");
    }
    assert_eq!(number(&range, total, 6), households.len() as f64);
    assert_eq!(number(&range, total, 8), instructors.len() as f64);
}

#[test]
fn attachment4_figures_are_the_tally_of_the_visits() {
    let instructors = common::instructors(6, 5);
    let households = common::households(90, &instructors, 6);
    let visits = common::visits(&households, 2024, 7);
    let period = Period::year_to(2024, 6, 15);
    let report = common::attachment4_report(&instructors, &visits, period);
    let (range, merges) = read(table_to_xlsx(&attachment4::table(&report, heading())).unwrap());

    assert_title(&range, &merges, "贫困农户产业指导员工作情况统计表", 12);
    // FORMS.md, Attachment 4, each label with its unit.
    let expected = [
        "序号",
        "产业指导员姓名",
        "入户宣讲政策（次）",
        "指导农户明确发展产业（户）",
        "组织培训农民（人）",
        "联系开展技术指导（次）",
        "解决农户技术问题（件）",
        "联系协调产业项目帮扶农户（户）",
        "联系协调产业帮扶农户资金（元）",
        "联系农户产品销售（户）",
        "帮助农户销售农产品收入（万元）",
        "引导农户加入农民合作社（人）",
        "协调农户与经营主体建立利益联结机制（户）",
    ];
    assert_eq!(row_texts(&range, HEADER_ROW, 0..13), expected);

    for (i, instructor) in instructors.iter().enumerate() {
        let mine = visits.iter().filter(|v| v.instructor_id == instructor.id);
        let tally = Attachment4::tally(mine, period);
        assert_figures(&range, HEADER_ROW + 1 + i, &tally);
        assert_eq!(text(&range, HEADER_ROW + 1 + i, 1), instructor.name);
    }
    let total = find_row(&range, "合计");
    assert_figures(&range, total, &Attachment4::tally(&visits, period));
    for (k, item) in WorkItem::ALL
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.counts_households())
    {
        let sum: f64 = (HEADER_ROW + 1..total)
            .map(|r| number(&range, r, k + 2))
            .sum();
        assert!(
            (number(&range, total, k + 2) - sum).abs() < 1e-6,
            "{item:?}"
        );
    }
    assert_eq!(
        text(&range, total + 1, 0),
        "注：1、统计数据均为当年累计情况。"
    );
}

fn assert_figures(range: &Range<Data>, row: usize, tally: &Attachment4) {
    for (k, item) in WorkItem::ALL.iter().enumerate() {
        let expected: f64 = tally.figure(*item).parse().unwrap();
        assert_eq!(number(range, row, k + 2), expected, "row {row} {item:?}");
    }
}

#[test]
fn attachment5_holds_every_section_and_label() {
    let instructors = common::instructors(3, 8);
    let households = common::households(3, &instructors, 9);
    let ledger = common::full_ledger(&households[1]);
    let bytes = attachment5::to_xlsx(&households[1], &ledger).unwrap();
    let (range, merges) = read(bytes);
    let cells: Vec<String> = range.cells().map(|(_, _, d)| d.to_string()).collect();

    assert_eq!(text(&range, 0, 0), "贫困户产业发展台账");
    assert!(merges.iter().any(|m| m.start == (0, 0) && m.end == (0, 7)));
    // FORMS.md, Attachment 5, sections A to H and their labels.
    let labels = [
        "建档立卡贫困农户基本信息",
        "贫困户户主姓名",
        "身份证号",
        "人口数（人）",
        "致贫原因",
        "生产资源情况",
        "耕地面积（亩）",
        "15度以下耕地面积",
        "15-25度坡耕地面积",
        "25度以上坡耕地面积",
        "林地面积（亩）",
        "现有劳动力情况",
        "姓名",
        "家庭关系",
        "出生年月",
        "学历",
        "掌握生产技能",
        "发展产业意向需求",
        "意向发展产业",
        "意向从事工作",
        "收入情况",
        "上年家庭收入（元）",
        "其中农业产业收入（元）",
        "预计今年家庭收入（元）",
        "实际参与产业发展情况",
        "主要从事工作",
        "自己发展产业类型",
        "种养殖产品名称",
        "产业规模",
        "单位（亩、头、羽）",
        "预计年产量",
        "预计年收入（元）",
        "实际年收入（元）",
        "被聘用经营主体名称",
        "经营主体产业类型",
        "平均每月工作天数",
        "平均每月工资收入（元）",
        "利益联结情况",
        "利益联结经营主体名称",
        "发展产业名称",
        "土地折算入股（元）",
        "扶贫小额信贷资金入股（元）",
        "财政专项扶贫资金项目量化入股（元）",
        "预计年度分红（元）",
        "实际年度分红（元）",
        "产销对接情况",
        "农产品产销对接经营主体名称",
        "收购农产品名称",
        "单位（公斤、头、羽）",
        "预计年订单数量",
        "实际年度收购数量",
        "实际收购金额（元）",
    ];
    for label in labels {
        assert!(cells.iter().any(|c| c == label), "missing {label}");
    }
    assert!(cells.contains(&households[1].id_number));
    assert!(
        cells
            .iter()
            .any(|c| c.contains("■因病") && c.contains("□因残"))
    );
    assert!(cells.iter().any(|c| c.contains("■其他（刺梨）")));
    for member in &ledger.labour {
        assert!(cells.contains(&member.name));
    }
    let section_merged = |title: &str| {
        let row = (0..range.height())
            .find(|r| text(&range, *r, 0) == title)
            .unwrap() as u32;
        merges
            .iter()
            .any(|m| m.start == (row, 0) && m.end.1 == 0 && m.end.0 > row)
    };
    assert!(section_merged("现有劳动力情况"));
    assert!(section_merged("实际参与产业发展情况"));

    let csv = String::from_utf8(attachment5::to_csv(&households[1], &ledger).unwrap()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("上年家庭收入（元）,上年家庭收入（元）-其中农业产业收入（元）"));
    assert!(csv.contains("18600,9200.5,23000,12500"));
}

#[test]
fn csv_exports_have_a_bom_and_flattened_headers() {
    let instructors = common::instructors(5, 10);
    let households = common::households(40, &instructors, 11);
    let villages = common::villages();
    let input = CoverageInput {
        households: &households,
        instructors: &instructors,
        villages: &villages,
    };
    let table = attachment3::table(&coverage::attachment3_rows(&input), heading());
    let bytes = table_to_csv(&table).unwrap();
    assert!(bytes.starts_with(UTF8_BOM));

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[UTF8_BOM.len()..]);
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&lines[0][0], "贫困户产业指导员基本情况统计表");
    let header = lines.iter().find(|l| &l[0] == "序号").unwrap();
    assert_eq!(&header[2], "贫困乡镇数量-总数");
    assert_eq!(&header[3], "贫困乡镇数量-其中有产业指导员的乡镇数");
    assert_eq!(&header[8], "产业指导员选聘人数-总计");
    assert_eq!(
        &header[9],
        "产业指导员选聘人数-选聘人员来源情况-驻村工作队队员"
    );
    let total = lines.iter().find(|l| &l[0] == "合计").unwrap();
    assert_eq!(&total[6], households.len().to_string().as_str());
}

#[test]
fn spotcheck_list_shows_full_ids_and_blank_result_columns() {
    let instructors = common::instructors(6, 12);
    let households = common::households(60, &instructors, 13);
    let size = SampleSize::Count(2);
    let sample = spotcheck::sample(&households, 99, size);
    let drawn: Vec<Drawn> = sample
        .values()
        .flatten()
        .map(|id| Drawn {
            household: households.iter().find(|h| h.id == *id).unwrap(),
            ledger: None,
        })
        .collect();
    assert_eq!(drawn.len(), 6);
    let table = spotcheck::table(&drawn, 99, size, heading());
    let (range, merges) = read(table_to_xlsx(&table).unwrap());

    assert_title(&range, &merges, "贫困户产业发展台账抽查表", 15);
    let header = row_texts(&range, HEADER_ROW, 0..16);
    assert_eq!(&header[13..], ["核查结果", "核查人", "核查日期"]);
    assert_eq!(header[6], "身份证号");
    for (i, d) in drawn.iter().enumerate() {
        assert_eq!(text(&range, HEADER_ROW + 1 + i, 6), d.household.id_number);
        assert_eq!(text(&range, HEADER_ROW + 1 + i, 13), "");
    }
    let notes: String = (0..range.height()).map(|r| text(&range, r, 0)).collect();
    assert!(notes.contains("身份证号完整显示"));
    assert!(text(&range, 1, 8).contains("抽样种子：99"));
}
