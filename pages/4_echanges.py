import streamlit as st

from ui import state

st.title("4_echanges")
st.write(state.selection().filters)
