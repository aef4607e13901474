import streamlit as st

from ui import state

st.title("7_charger")
st.write(state.selection().filters)
