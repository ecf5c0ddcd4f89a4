//! tantivy with jieba on the relevance set and a generated 100 000-item catalogue: relevance
//! (the occupation meant in the first three, no result), p50/p99 per query, index build time
//! (start-up and rebuild are the same build here) and memory. Raw words, OR-ed, title and
//! occupation boosted as the hand-built index weighs them; no query understanding.

use std::time::{Duration, Instant};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument};

struct Engine {
    index: Index,
    reader: IndexReader,
    fields: [Field; 3],
    occupation_stored: Field,
}

fn rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

fn build(path: &str) -> Result<(Engine, Duration, usize), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut sb = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("jieba")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(indexing);
    let title = sb.add_text_field("title", text.clone());
    let occupation = sb.add_text_field("occupation", text.clone());
    let other = sb.add_text_field("other", text);
    let occupation_stored = sb.add_text_field("occupation_name", STORED);
    let index = Index::create_in_ram(sb.build());
    index
        .tokenizers()
        .register("jieba", tantivy_jieba::JiebaTokenizer::new());
    let mut writer = index.writer::<TantivyDocument>(200_000_000)?;
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let (t, o, i, d, c) = (
        col("title"),
        col("occupation"),
        col("institution"),
        col("district"),
        col("description"),
    );
    let mut n = 0;
    for row in reader.records() {
        let row = row?;
        let others = format!("{} {} {}", &row[i], &row[d], &row[c]);
        writer.add_document(doc!(
            title => row[t].to_string(),
            occupation => row[o].to_string(),
            other => others,
            occupation_stored => row[o].to_string(),
        ))?;
        n += 1;
    }
    writer.commit()?;
    let reader = index.reader()?;
    Ok((
        Engine {
            index,
            reader,
            fields: [title, occupation, other],
            occupation_stored,
        },
        started.elapsed(),
        n,
    ))
}

impl Engine {
    fn search(&self, q: &str, limit: usize) -> (usize, Vec<String>) {
        let mut parser = QueryParser::for_index(&self.index, self.fields.to_vec());
        parser.set_field_boost(self.fields[0], 3.0);
        parser.set_field_boost(self.fields[1], 2.0);
        let (query, _) = parser.parse_query_lenient(q);
        let searcher = self.reader.searcher();
        let Ok((top, count)) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit).order_by_score(), Count),
        ) else {
            return (0, Vec::new());
        };
        let names = top
            .into_iter()
            .filter_map(|(_, address)| searcher.doc::<TantivyDocument>(address).ok())
            .filter_map(|d| {
                d.get_first(self.occupation_stored)
                    .and_then(|v| v.as_str().map(str::to_string))
            })
            .collect();
        (count, names)
    }
}

fn relevance(catalogue: &str, queries: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (engine, _, _) = build(catalogue)?;
    let mut reader = csv::Reader::from_path(queries)?;
    // [half][queries, top three, zero]
    let mut tally = [[0usize; 3]; 2];
    for row in reader.records() {
        let row = row?;
        let half = usize::from(&row[3] == "yes");
        let (count, first) = engine.search(&row[0], 3);
        tally[half][0] += 1;
        if first.iter().any(|o| o == &row[1]) {
            tally[half][1] += 1;
        }
        if count == 0 {
            tally[half][2] += 1;
        }
    }
    for (name, t) in ["synonym file's half", "held out"].iter().zip(tally) {
        println!(
            "| {name} | {} | {:.1} % | {:.1} % |",
            t[0],
            100.0 * t[1] as f64 / t[0] as f64,
            100.0 * t[2] as f64 / t[0] as f64
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let big = args.first().ok_or("usage: tantivy-proto CATALOGUE.csv")?;
    println!("## Relevance (app/data/search)\n| half | queries | first three | no result |\n|---|---|---|---|");
    relevance(
        "app/data/search/relevance-catalog.csv",
        "app/data/search/relevance-queries.csv",
    )?;
    let before = rss_mb();
    let (engine, took, n) = build(big)?;
    println!(
        "\n## {n} items\nbuild (start-up, rebuild): {:.2} s; memory: {} MB more ({} MB in all)",
        took.as_secs_f64(),
        rss_mb().saturating_sub(before),
        rss_mb()
    );
    println!("| query | results | p50 | p99 |\n|---|---|---|---|");
    for q in [
        "电工",
        "养老 护理",
        "diangong",
        "dg",
        "电焊",
        "叉车斯机",
        "成都 学电工 周末班",
        "飞行汽车",
        "钢琴调律",
    ] {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..300 {
            let t = Instant::now();
            total = std::hint::black_box(engine.search(q, 20)).0;
            times.push(t.elapsed());
        }
        times.sort();
        let at = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
        println!(
            "| `{q}` | {total} | {:.2} ms | {:.2} ms |",
            at(0.5),
            at(0.99)
        );
    }
    Ok(())
}
