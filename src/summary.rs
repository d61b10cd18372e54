//! `--summary`: what the store in the data directory holds, printed
//! without opening a window.

use std::path::Path;

use fieldledger::data::{AppData, DataError};
use fieldledger::store_data::StoreData;

/// Prints the data directory, who the phone is enrolled as, and the counts
/// of records and queued operations.
pub fn print(dir: &Path, data: &StoreData) -> Result<(), DataError> {
    let [households, ledgers, visits, queued] = data.counts()?;
    let user = match data.user()? {
        Some(user) => format!("{}（{}）", user.name, user.role.label()),
        None => "未注册".to_owned(),
    };
    println!("数据目录：{}", dir.display());
    println!("注册用户：{user}");
    println!("农户 {households} 户，台账 {ledgers} 份，走访 {visits} 次");
    println!("待上传 {queued} 条");

    Ok(())
}
